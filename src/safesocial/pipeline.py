"""One check from start to end: configuration, rules, school folders, engine.

The CLI's commands share this; it returns data and never prints.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from safesocial import config, engine, loader, resources, rules
from safesocial.checks.base import Settings
from safesocial.errors import UsageError
from safesocial.model import Loaded
from safesocial.results import RunResult, SchoolResult


@dataclass(frozen=True, slots=True)
class Checked:
    result: RunResult
    rules: Sequence[rules.Rule]
    loads: Sequence[Loaded]
    config: config.Config


def load_config(given: str | None, first_path: Path) -> config.Config:
    if given:
        return config.load(Path(given), tree=first_path)
    return config.load(config.discover(first_path), discovered=True)


def load_rules(conf: config.Config, extra_packs: Sequence[Path] = ()) -> list[rules.Rule]:
    """Built-in packs and the configuration's own, selected and re-weighted by it."""
    packs = [*resources.builtin_packs(), *conf.packs.value, *extra_packs]
    return config.apply(rules.load_rules(packs), conf)


def _school_above(given: str) -> str | None:
    """The school folder `given` lies inside (run from accounts/, it is ..), shown as a
    path from here, so that findings' paths still open from the current directory."""
    base = Path(given).resolve()
    for parent in base.parents:
        if any((parent / marker).is_file() for marker in loader.SCHOOL_MARKERS):
            return str(parent) if Path(given).is_absolute() else os.path.relpath(parent)
    return None


def find_folders(paths: Sequence[str]) -> list[tuple[Path, str]]:
    """Every school folder under PATHS, each with the path findings will show; a path
    inside one school folder (its accounts/, say) means that school."""
    found: list[tuple[Path, str]] = []
    for given in paths:
        base = Path(given)
        folders = loader.find_schools(base)
        if not folders and (above := _school_above(given)) is not None:
            given, base = above, Path(above)
            folders = [base]
        if not folders:
            raise UsageError(f"{given}: no school folder here (a folder holding school.yaml)")
        shown = given.rstrip("/") or "/"
        found.extend((f, loader.shown_path(shown, base, f)) for f in folders)
    return found


def load_schools_if_any(path: str) -> list[Loaded]:
    """The school folders at or under `path`, or none (`config` works on any folder)."""
    base = Path(path)
    shown = path.rstrip("/") or "/"
    return [
        loader.load_school(f, loader.shown_path(shown, base, f)) for f in loader.find_schools(base)
    ]


def load_schools(paths: Sequence[str]) -> list[Loaded]:
    return [loader.load_school(folder, shown) for folder, shown in find_folders(paths)]


# Each worker process loads the rules once (compiled schemas do not travel between
# processes), then checks the schools it is handed one at a time.
_WORKER: tuple[Sequence[rules.Rule], Settings] | None = None


def _start_worker(conf: config.Config, settings: Settings) -> None:
    global _WORKER
    _WORKER = (load_rules(conf), settings)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one school is read and checked.

    A school's documents, records and findings hold no reference cycles, yet the
    collector keeps re-scanning them as they grow: measured, it took nearly half the
    time of a fleet check. Anything cyclic made meanwhile (an exception's traceback)
    is collected as usual once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What the run keeps (findings) stays to the end: move it out of the collector's
        # sight, or every later collection re-scans every earlier school's findings.
        gc.freeze()
        if was_enabled:
            gc.enable()


def check_one(
    folder: Path, shown: str, chosen: Sequence[rules.Rule], settings: Settings
) -> tuple[Loaded, SchoolResult]:
    with _collector_paused():
        loaded = loader.load_school(folder, shown)
        return loaded, engine.check_school(loaded, chosen, settings)


def _check_in_worker(folder: tuple[Path, str]) -> SchoolResult:
    assert _WORKER is not None, "the worker was not started"
    chosen, settings = _WORKER
    return check_one(*folder, chosen, settings)[1]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check(
    paths: Sequence[str],
    config_path: str | None,
    as_of: date,
    strict: bool = False,
    jobs: int = 1,
    keep_loads: bool = False,
    progress: Callable[[int, int], None] | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> Checked:
    """Check every school under PATHS, `jobs` schools at a time.

    Schools are loaded, checked and let go one by one, so a local authority's fleet
    never sits in memory at once; results come back in folder order whatever `jobs` is.
    `keep_loads` (for --reveal-names) keeps what was read, and runs in this process.
    """
    conf = config.with_options(load_config(config_path, Path(paths[0])), select, ignore)
    chosen = load_rules(conf)
    settings = conf.settings(as_of, strict=strict)
    folders = find_folders(paths)
    jobs = min(max(1, jobs), len(folders))
    results: list[SchoolResult] = []
    loads: list[Loaded] = []
    if jobs == 1 or keep_loads:
        for done, folder in enumerate(folders, start=1):
            loaded, school = check_one(*folder, chosen, settings)
            results.append(school)
            if keep_loads:
                loads.append(loaded)
            if progress:
                progress(done, len(folders))
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(jobs, _start_worker, (conf, settings)) as pool:
            for done, school in enumerate(pool.imap(_check_in_worker, folders), start=1):
                results.append(school)
                if progress:
                    progress(done, len(folders))
    run = RunResult(schools=tuple(results), settings=settings, rule_count=len(chosen))
    return Checked(run, chosen, loads, conf)
