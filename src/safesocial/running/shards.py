"""Read JSON reports back, and join the reports of a sharded run into one run's result.

`safesocial check FLEET --shard I/N -o json:FILE` on N machines checks each school
exactly once; `safesocial merge` reads the N reports (validated against
schemas/report.schema.json, trusting nothing) and gives the result one run over the
whole fleet would have given, so every format and the exit code can be made from it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from safesocial.documents import validate, yamlio
from safesocial.errors import InputProblem, SafesocialError, UsageError
from safesocial.findings import INPUT_CODES
from safesocial.packs.rules import Rule
from safesocial.running import config, pipeline
from safesocial.running.resultio import Malformed, report_coverage, school_from
from safesocial.running.results import BaselineSummary, RunResult
from safesocial.settings import Settings

SCHEMA = "report.schema.json"


class ReportError(SafesocialError):
    """A report cannot be read, or reports do not belong to one run."""


@dataclass(frozen=True, slots=True)
class Report:
    path: str
    version: str
    result: RunResult


def _explain(text: str, doc: Any, shown: str) -> str:
    """Where a report breaks its schema. Read again with positions (the JSON is YAML
    too), so the message names the line; else by the path of keys."""
    try:
        located = yamlio.parse(text, shown)
        problems = list(validate.check(located, SCHEMA, shown))
    except (InputProblem, ValueError, RecursionError):
        problems = []
    if problems:
        first = problems[0]
        return f"{first.location}: {first.message} (not a safesocial JSON report)"
    error = next(iter(validate.validator(SCHEMA).iter_errors(doc)), None)
    where = validate.describe(error, doc, shown).message if error else "does not match"
    return f"{shown}: {where} (not a safesocial JSON report)"


def read_report(path: Path) -> Report:
    """One JSON report as a run's result; ReportError, naming file and place, if it is
    not one safesocial wrote."""
    shown = path.as_posix()
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ReportError(f"{shown}: cannot read the report: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ReportError(f"{shown}: not UTF-8 text, so not a JSON report") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{shown}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise ReportError(f"{shown}: nested too deeply to be a JSON report") from None
    check = validate.fast_checker(SCHEMA)
    valid = check(doc) if check is not None else validate.validator(SCHEMA).is_valid(doc)
    if not valid:
        raise ReportError(_explain(text, doc, shown))
    try:
        schools = tuple(
            school_from(s, f"schools[{i}]", "accounts", report_coverage)
            for i, s in enumerate(doc["schools"])
        )
    except Malformed as exc:  # the schema should have caught it; never trusted anyway
        raise ReportError(f"{shown}: {exc}") from None
    baseline = doc["baseline"]
    shard = doc.get("shard")
    result = RunResult(
        schools=schools,
        settings=Settings(as_of=date.fromisoformat(doc["as_of"])),
        rule_count=doc["rules_run"],
        baseline=None
        if baseline is None
        else BaselineSummary(baseline["known"], tuple(baseline["fixed"])),
        shard=None if shard is None else (shard["index"], shard["count"]),
    )
    return Report(shown, doc["tool"]["version"], result)


def _same(reports: Sequence[Report], what: str, value: Any) -> None:
    seen = {r.path: value(r) for r in reports}
    if len(set(seen.values())) > 1:
        listed = "; ".join(f"{path}: {v}" for path, v in seen.items())
        raise ReportError(f"the reports are not of one run: their {what} differ ({listed})")


def _shards(reports: Sequence[Report]) -> None:
    """Either no report is a shard, or they are every share of one split, once each."""
    shards = [r.result.shard for r in reports]
    if all(s is None for s in shards):
        return
    if any(s is None for s in shards):
        raise ReportError("some reports are shards (--shard) and some are not; merge one kind")
    _same(reports, "shard counts (the N of --shard I/N)", lambda r: r.result.shard[1])
    count = shards[0][1] if shards[0] else 0
    have = Counter(s[0] for s in shards if s)
    twice = sorted(i for i, n in have.items() if n > 1)
    if twice:
        raise ReportError(f"shard {twice[0]}/{count} is given twice")
    missing = [str(i) for i in range(1, count + 1) if i not in have]
    if missing:
        raise ReportError(
            f"shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} of {count} "
            "missing: without every shard, schools would go unchecked"
        )


def merge(reports: Sequence[Report]) -> RunResult:
    """The result one run over every report's schools would have given."""
    if not reports:
        raise ReportError("no reports to merge")
    _same(reports, "safesocial versions", lambda r: r.version)
    _same(reports, "days rules were judged on (as_of)", lambda r: r.result.settings.as_of)
    _same(reports, "numbers of rules run", lambda r: r.result.rule_count)
    _shards(reports)
    for report in reports:
        # Each shard would count as fixed every known finding of the schools it did not
        # check: a baseline is applied once, to the merged run (merge --baseline).
        if report.result.baseline is not None:
            raise ReportError(
                f"{report.path} was made with --baseline; make the reports without it "
                "and give the baseline to merge instead (merge --baseline FILE)"
            )
    owner: dict[str, str] = {}
    for report in reports:
        for school in report.result.schools:
            if school.root in owner:
                raise ReportError(
                    f"{school.root} is in both {owner[school.root]} and {report.path}"
                )
            owner[school.root] = report.path
    schools = sorted(
        (s for r in reports for s in r.result.schools), key=lambda s: PurePosixPath(s.root)
    )
    first = reports[0].result
    return RunResult(
        schools=tuple(schools),
        settings=first.settings,
        rule_count=first.rule_count,
    )


def merged_run(
    paths: Sequence[Path], config_path: str | None
) -> tuple[RunResult, dict[str, Rule], config.Config]:
    """The reports at `paths` as one run, with the rules (from the configuration given,
    else safesocial.yaml here or above) that reporters describe findings by. The
    configuration must select the rules the shards ran."""
    result = merge([read_report(p) for p in paths])
    conf = pipeline.load_config(config_path, Path("."))
    by_id = {r.id: r for r in pipeline.load_rules(conf)}
    if result.rule_count != len(by_id):
        raise UsageError(
            f"the reports ran {result.rule_count} rules, the configuration here selects "
            f"{len(by_id)}: give merge the --config the shards used"
        )
    unknown = sorted({f.rule_id for f in result.findings} - set(by_id) - set(INPUT_CODES))
    if unknown:
        raise UsageError(
            f"the reports hold findings of rule {unknown[0]}, which the configuration "
            "here does not load: give merge the --config the shards used"
        )
    return result, by_id, conf
