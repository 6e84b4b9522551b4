"""Apply rules to loaded schools and return findings. Never prints, never exits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from safesocial.checks.base import (
    AccountContext,
    Context,
    Scope,
    StaffAccountContext,
)
from safesocial.documents.yamlio import YMap
from safesocial.errors import InputProblem
from safesocial.findings import Category, Finding, Severity
from safesocial.model import Loaded, School, SchoolInfo, empty_map
from safesocial.packs.reads import segments
from safesocial.packs.rules import Rule
from safesocial.running import waivers
from safesocial.running.breaks import (
    Break,
    Ledger,
    entries,
    for_account,
    for_school,
    for_staff_account,
)
from safesocial.running.coverage import register_gaps, stale_observations
from safesocial.running.results import Coverage, Place, RunResult, SchoolResult
from safesocial.settings import Settings


def input_finding(problem: InputProblem, school: str) -> Finding:
    return Finding(
        rule_id=problem.code,
        severity=Severity.ERROR,
        category=Category.INPUT,
        message=problem.message,
        target="input",
        location=problem.location,
        detail=f"{problem.location.path}:{problem.message}",
        school=school,
    )


def _contexts(school: School, settings: Settings) -> Iterator[tuple[Scope, Context, list[Break]]]:
    """Every target with its view, and what in that view could not be read."""
    info = school.info
    school_doc = info.node if info else empty_map(school.root)
    policy = school.policy
    policy_doc = policy.node if policy else empty_map(school.root)
    if info is not None:
        view = {"school": school_doc, "policy": policy_doc}
        ctx = Context(school, settings, "school", view, policy_doc)
        yield "school", ctx, for_school(school)
    for account in school.accounts:
        applies = policy.for_account(account) if policy else empty_map(school.root)
        view = {"account": account.node, "policy": applies, "school": school_doc}
        # Typed once per target, so account-scope kinds are handed it as it is.
        ctx = AccountContext(school, settings, account.target, view, applies, account=account)
        yield "account", ctx, for_account(school, account)
    staff_policy = policy.staff_accounts if policy else empty_map(school.root)
    for declared in school.staff_accounts or ():
        roster = info.staff.get(declared.staff) if info else None
        view = {
            "staff_account": declared.node,
            "staff": roster.node if roster else empty_map(school.root),
            "policy": staff_policy,
            "school": school_doc,
        }
        ctx = StaffAccountContext(
            school, settings, declared.target, view, staff_policy, staff_account=declared
        )
        yield "staff_account", ctx, for_staff_account(school, declared)


def _apply(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for hit in rule.kind.run(ctx, rule.params):
        yield Finding(
            rule_id=rule.id,
            severity=rule.severity,
            category=hit.category or rule.category,
            message=hit.message,
            target=ctx.target,
            subject=hit.subject,
            location=hit.location,
            related=hit.related,
            detail=hit.detail,
            school=ctx.school.root,
            due=hit.due,
        )


def _guarded(rule: Rule, ctx: Context) -> list[Finding]:
    try:
        return list(_apply(rule, ctx))
    except Exception as exc:  # a faulty rule must not stop the others
        return [
            Finding(
                rule_id="IN900",
                severity=Severity.ERROR,
                category=Category.INPUT,
                # The exception's type only: its text can quote input (a pupil's handle)
                # and this finding reaches shareable reports.
                message=f"rule {rule.id} failed on {ctx.target}: {type(exc).__name__} "
                "(a bug in the rule or in safesocial; please report it)",
                target=ctx.target,
                location=rule.location,
                detail=rule.id,
                school=ctx.school.root,
            )
        ]


def _waivers_phase(
    school: School, findings: list[Finding], rules: Sequence[Rule], settings: Settings
) -> list[Finding]:
    """Judge the school's waivers against the findings, report on them, mark the waived."""
    if settings.strict or not school.waivers:
        return findings
    handles = {k: v for account in school.accounts for k, v in account.entry_handles().items()}
    policy = school.policy.node if school.policy else None
    by_id = {rule.id: rule for rule in rules}
    outcomes = waivers.judge(
        school.waivers, findings, by_id, school.info, policy, handles,
        settings.as_of, settings.waiver_max_days,
    )  # fmt: skip
    view = {"school": school.info.node if school.info else empty_map(school.root)}
    ctx = Context(
        school, settings, "waivers", view, empty_map(school.root), waivers=tuple(outcomes)
    )
    reports = [f for rule in rules if rule.kind.phase == "waivers" for f in _guarded(rule, ctx)]
    return waivers.waive(findings, outcomes) + reports


def check_school(loaded: Loaded, rules: Sequence[Rule], settings: Settings) -> SchoolResult:
    school = loaded.school
    findings = [input_finding(p, school.root) for p in loaded.problems]
    by_scope: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.kind.phase == "check":
            by_scope.setdefault(rule.scope, []).append(rule)
    reads = {rule.id: [segments(r) for r in rule.reads] for rule in rules}
    ledger = Ledger()
    targets: list[str] = []
    for scope, ctx, breaks in _contexts(school, settings):
        ledger.targets.append(ctx.target)
        if scope == "account":
            targets.append(ctx.target)
        for rule in by_scope.get(scope, ()):
            # A rule that reads what could not be read is not run on half the data: it
            # is named in a gap instead (the input problem says what is wrong).
            if breaks and ledger.blocking(ctx.target, rule.id, reads[rule.id], breaks):
                continue
            if rule.when is not None and not rule.when(ctx.view):
                continue
            findings.extend(_guarded(rule, ctx))
    # A staff account entry that could not be read is no target at all, and a waiver that
    # could not be read is never judged: every rule of theirs is left undone for them.
    staff_rules = [r.id for r in by_scope.get("staff_account", ())]
    ledger.unseen(entries(school, "staff_accounts"), staff_rules)
    waiver_rules = [r.id for r in rules if r.kind.phase == "waivers"]
    ledger.unseen(entries(school, "waivers"), waiver_rules)
    if "waivers" not in school.broken:
        findings = _waivers_phase(school, findings, rules, settings)
    findings.sort(key=Finding.sort_key)
    # What could not be read, then what the account register and thin records leave unjudged.
    gaps = (*ledger.gaps(school), *register_gaps(school, settings, rules))
    return SchoolResult(
        root=school.root,
        name=school.name,
        files=tuple(school.files),
        targets=tuple(targets),
        findings=tuple(findings),
        coverage=Coverage(
            checked=ledger.checked(gaps),
            gaps=gaps,
            stale=tuple(stale_observations(school, settings)),
        ),
        place=_place(school.info),
        account_types={
            a.target: a.account_type for a in school.accounts if a.account_type != "profile"
        },
    )


def _place(info: SchoolInfo | None) -> Place:
    """Where the school is and how to reach its office: the report cites the guidance of
    its jurisdiction and writes the school's own contact details into its advice."""
    if info is None:
        return Place()
    school = info.node.get("school")
    authority = school.get("local_authority") if isinstance(school, YMap) else None
    emails = (s.node.get("email") for s in info.staff.values() if s.role == "office")
    office = next((str(e) for e in emails if isinstance(e, str) and "@" in e), None)
    return Place(
        jurisdiction=info.jurisdiction or "",
        local_authority=str(authority or ""),
        contact=office or (f"office@{info.email_domains[0]}" if info.email_domains else ""),
    )


def run(loads: Sequence[Loaded], rules: Sequence[Rule], settings: Settings) -> RunResult:
    schools = tuple(check_school(load, rules, settings) for load in loads)
    return RunResult(schools=schools, settings=settings, rule_count=len(rules))
