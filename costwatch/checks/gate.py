"""The pre-deploy gate: Terraform, plans and scripts become bucket snapshots the rules judge.

Each bucket a file creates becomes the same :class:`~costwatch.model.BucketSnapshot` the live
audit judges, with the documented default for every setting it leaves out (``defaults.py``);
a command that changes only some settings becomes a snapshot whose other settings are
"unchanged here", which no rule judges. Grants are judged where they are written (the
``iam_member`` block, the ``add-iam-policy-binding`` line), so a bucket described in several
files gets findings once per place. Values that could not be resolved are listed as not
checked with their expression, never guessed.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch.baseline import apply_baseline, read_baseline
from costwatch.check_section import CheckSection
from costwatch.checks.buckets import bucket_context, judge_buckets, stamp
from costwatch.config import Config
from costwatch.findings import Finding, Fix, Incomplete, IncompleteKind
from costwatch.footprint import ApiCalls
from costwatch.model import (
    SETTINGS,
    Binding,
    BucketPatch,
    BucketSnapshot,
    IamCompleteness,
    IamPolicy,
    Known,
    LifecycleAction,
    LifecycleRule,
    Setting,
    Suppression,
    location_type_from_name,
    merge,
)
from costwatch.model import Origin as ModelOrigin
from costwatch.report import BaselineUse, Report, Section, StaleSuppression
from costwatch.rules.registry import BUCKET_RULES
from costwatch.sources.iac import records as r
from costwatch.sources.iac.defaults import with_defaults
from costwatch.sources.iac.files import FileKind, find_files, read_script, read_text
from costwatch.sources.iac.hcl import VarInputs, read_terraform, terraform_folders
from costwatch.sources.iac.plan import looks_like_plan, read_plan, sniff_plan
from costwatch.sources.iac.records import Action, BucketRecord, GrantRecord, Harvest, SourceKind
from costwatch.sources.site import ignore_comments

SECTION = "check"
SUPPRESSION_RULE = "CW300"
#: Why a setting a patch does not touch is not judged: the patch leaves it as it was.
UNCHANGED = "not changed by this command"
GRANT_RULES = frozenset({"CW112", "CW113"})


@dataclass(frozen=True)
class CheckOptions:
    """A check's inputs beyond the config."""

    paths: tuple[Path, ...]
    root: Path
    inputs: VarInputs = field(default_factory=VarInputs)
    strict: bool = False
    baseline: Path | None = None
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class GateResult:
    """Findings, what was not checked, what was read, and the bucket names the files give."""

    findings: tuple[Finding, ...]
    incomplete: tuple[Incomplete, ...]
    section: dict[str, Any]
    bucket_names: tuple[str, ...] = ()


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- reading --------------------------------------------------------------------------------


def harvest(options: CheckOptions) -> tuple[Harvest, dict[str, int]]:
    """Every record in the paths, and how many files of each kind were read."""
    found = find_files(options.paths, options.exclude)
    total = Harvest(unchecked=list(found.unreadable))
    counts: dict[str, int] = {}
    tf_files = found.files.get(FileKind.TERRAFORM, [])
    terraform = Harvest()
    if tf_files:
        terraform = read_terraform(terraform_folders(tf_files), options.root, options.inputs)
        counts["terraform"] = len(tf_files)
    lines: dict[str, tuple[str, int]] = {}
    for record in terraform.buckets:
        lines[record.origin.address] = (record.origin.path, record.origin.line or 1)
    for grant in terraform.grants:
        lines[grant.origin.address] = (grant.origin.path, grant.origin.line or 1)
    plans = _read_plans(found.files.get(FileKind.PLAN, []), options.root, lines, counts)
    if plans.buckets or plans.grants:
        # The plan is authoritative: its records replace the source's for the same resource.
        covered = {b.ref for b in plans.buckets}
        covered |= {g.origin.address.split("[")[0] for g in plans.grants}
        terraform.buckets = [b for b in terraform.buckets if b.origin.address not in covered]
        terraform.grants = [g for g in terraform.grants if g.origin.address not in covered]
    total.extend(terraform)
    total.extend(plans)
    for kind in (
        FileKind.SHELL,
        FileKind.MAKEFILE,
        FileKind.PACKAGE_JSON,
        FileKind.WORKFLOW,
        FileKind.GITLAB,
        FileKind.CLOUDBUILD,
    ):
        files = found.files.get(kind, [])
        for path in files:
            read_script(path, _shown(path, options.root), kind, total)
        if files:
            counts[kind.value] = len(files)
    return total, counts


def _read_plans(
    paths: Sequence[Path], root: Path, lines: Mapping[str, tuple[str, int]], counts: dict[str, int]
) -> Harvest:
    plans = Harvest()
    for path in paths:
        if not _plan_candidate(path):
            continue  # any other JSON file: not ours to read
        shown = _shown(path, root)
        text = read_text(path, shown, plans)
        if text is None:
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            plans.unchecked.append(
                r.Unchecked(shown, exc.lineno, f"plan is not valid JSON: {exc.msg}", True)
            )
            continue
        if looks_like_plan(data):
            plans.extend(read_plan(data, shown, lines))
            counts["plan"] = counts.get("plan", 0) + 1
    return plans


def _plan_candidate(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return sniff_plan(handle.read(4096))
    except OSError:
        return False


# --- records to the model -------------------------------------------------------------------


def _name(value: r.Value, origin: r.Origin) -> str:
    """The bucket's name, or the expression it comes from (``$BUCKET``) when not known."""
    if not value.is_unknown and value.value:
        return str(value.value)
    if value.note.startswith("bucket gs://"):
        return value.note.removeprefix("bucket gs://").split(":", 1)[0].split("/")[0]
    return f"({origin.address})"


def _origin(origin: r.Origin) -> ModelOrigin:
    return ModelOrigin(origin.kind, origin.path, origin.line, origin.address or None)


def _setting(value: r.Value | None, missing: str) -> Setting[Any]:
    if value is None:
        return Setting.unknown(missing)
    if value.is_unknown:
        return Setting.unknown(value.note)
    if value.certainty is r.Certainty.DEFAULT:
        return Setting.default(value.value, value.note)
    return Setting.of(value.value)


def snapshot_of(record: BucketRecord, iam: IamPolicy) -> BucketSnapshot:
    """The record as the neutral model: defaults for a create, "unchanged" for a patch."""
    settings = with_defaults(record)
    missing = UNCHANGED
    if record.action is Action.CREATE and record.origin.kind is not SourceKind.SCRIPT:
        missing = "location missing (the provider requires it)"
    location = _setting(settings.get(r.LOCATION), missing)
    data_locations = _setting(settings.get(r.DATA_LOCATIONS), UNCHANGED)
    if data_locations.is_unknown and record.action is Action.CREATE:
        data_locations = Setting.of(())
    if location.is_unknown:
        kind: Setting[Any] = Setting.unknown(location.reason)
    else:
        places = data_locations.value or ()
        kind = Setting(
            location_type_from_name(str(location.value), places), location.known, location.reason
        )
        location = Setting(str(location.value).upper(), location.known, location.reason)
    lifecycle = _setting(settings.get(r.LIFECYCLE_DELETES_NONCURRENT), UNCHANGED)
    if not lifecycle.is_unknown:
        rules = (LifecycleRule(LifecycleAction.DELETE, True),) if lifecycle.value else ()
        lifecycle = Setting(rules, lifecycle.known, lifecycle.reason)
    return BucketSnapshot(
        name=_name(record.name, record.origin),
        origin=_origin(record.origin),
        location=location,
        location_type=kind,
        data_locations=data_locations,
        storage_class=_setting(settings.get(r.STORAGE_CLASS), UNCHANGED),
        autoclass=_setting(settings.get(r.AUTOCLASS), UNCHANGED),
        soft_delete_seconds=_setting(settings.get(r.SOFT_DELETE_SECONDS), UNCHANGED),
        versioning=_setting(settings.get(r.VERSIONING), UNCHANGED),
        lifecycle_rules=lifecycle,
        requester_pays=_setting(settings.get(r.REQUESTER_PAYS), UNCHANGED),
        rpo=_setting(settings.get(r.RPO), UNCHANGED),
        public_access_prevention=_setting(settings.get(r.PUBLIC_ACCESS_PREVENTION), UNCHANGED),
        uniform_access=_setting(settings.get(r.UNIFORM_ACCESS), UNCHANGED),
        iam=iam,
    )


def _bindings(grants: Iterable[GrantRecord]) -> tuple[Binding, ...]:
    by_role: dict[str, list[str]] = defaultdict(list)
    for grant in grants:
        if grant.member and grant.member not in by_role[grant.role]:
            by_role[grant.role].append(grant.member)
    return tuple(Binding(role, tuple(members)) for role, members in sorted(by_role.items()))


def _related(found: Harvest) -> dict[int, list[GrantRecord]]:
    """The grants each bucket record is known to get: by Terraform reference, else by name."""
    by_ref: dict[str, list[GrantRecord]] = defaultdict(list)
    by_name: dict[str, list[GrantRecord]] = defaultdict(list)
    for grant in found.grants:
        if grant.bucket_ref:
            by_ref[grant.bucket_ref].append(grant)
        elif not grant.bucket.is_unknown:
            by_name[str(grant.bucket.value)].append(grant)
    out: dict[int, list[GrantRecord]] = {}
    for index, record in enumerate(found.buckets):
        name = str(record.name.value) if not record.name.is_unknown else ""
        out[index] = by_ref.get(record.ref, []) + (by_name.get(name, []) if name else [])
    return out


def bucket_snapshots(found: Harvest) -> list[BucketSnapshot]:
    """One snapshot per bucket record, its access policy as complete as the files say."""
    related = _related(found)
    out = []
    for index, record in enumerate(found.buckets):
        grants = related[index]
        if any(g.authoritative for g in grants):
            iam = IamPolicy(_bindings(g for g in grants if g.authoritative))
        else:
            iam = IamPolicy(
                _bindings(grants),
                IamCompleteness.PARTIAL,
                "only the grants in these files are known",
            )
        out.append(snapshot_of(record, iam))
    return out


def grant_snapshots(found: Harvest) -> list[BucketSnapshot]:
    """The grants written in one place, as a snapshot whose settings are not described there."""
    groups: dict[tuple[str, int | None, str], list[GrantRecord]] = defaultdict(list)
    for grant in found.grants:
        if grant.member:
            key = grant.bucket_ref or _name(grant.bucket, grant.origin)
            groups[(grant.origin.path, grant.origin.line, key)].append(grant)
    out = []
    for grants in groups.values():
        first = grants[0]
        name = _name(first.bucket, first.origin)
        if first.bucket.is_unknown and first.bucket_ref:
            name = f"({first.bucket_ref})"
        snapshot = BucketSnapshot.all_unknown(
            name,
            _origin(first.origin),
            UNCHANGED,
            IamPolicy(_bindings(grants), IamCompleteness.PARTIAL, "grants written here"),
        )
        out.append(snapshot)
    return out


# --- judging --------------------------------------------------------------------------------


@dataclass
class Judged:
    findings: list[Finding] = field(default_factory=list)
    incomplete: list[Incomplete] = field(default_factory=list)
    buckets: list[dict[str, Any]] = field(default_factory=list)


def judge(found: Harvest, config: Config, strict: bool) -> Judged:
    """Every bucket rule over every record, at the record's own location."""
    out = Judged()
    snapshots = bucket_snapshots(found)
    creates = [
        s for s, rec in zip(snapshots, found.buckets, strict=True) if rec.action is Action.CREATE
    ]
    findings, incomplete = judge_buckets(creates, config, unknown_blocks=strict)
    out.findings += [f for f in findings if f.rule_id not in GRANT_RULES]
    # CW111 needs the whole policy; files rarely hold it, and saying so for every bucket
    # would bury what matters (`costwatch rules` says where it applies).
    out.incomplete += [i for i in incomplete if not i.reason.startswith(_CW111_PARTIAL)]
    # Only a known name ties a patch to a create: two scripts' $BUCKET need not be one bucket.
    by_name = {
        s.name: s
        for s, rec in zip(snapshots, found.buckets, strict=True)
        if rec.action is Action.CREATE and not rec.name.is_unknown
    }
    for snapshot, record in zip(snapshots, found.buckets, strict=True):
        if record.action is Action.UPDATE:
            patch_findings, patch_incomplete = judge_patch(
                snapshot, record, by_name, config, strict
            )
            out.findings += patch_findings
            out.incomplete += patch_incomplete
    grant_findings, _ = judge_buckets(grant_snapshots(found), config, unknown_blocks=strict)
    out.findings += [f for f in grant_findings if f.rule_id in GRANT_RULES]
    out.findings = [_gsutil_fix(_with_default_note(f, snapshots)) for f in out.findings]
    out.buckets = [_summary(s) for s in snapshots]
    return out


_CW111_PARTIAL = "CW111 not checked: access policy: only some grants"


def judge_patch(
    patch: BucketSnapshot,
    record: BucketRecord,
    creates: Mapping[str, BucketSnapshot],
    config: Config,
    strict: bool,
) -> tuple[list[Finding], list[Incomplete]]:
    """A command that changes some settings, judged on what it changes.

    Where the files also create the bucket, the patch is merged onto that planned state (so
    ``--versioning`` meets the lifecycle rules the create set); only rules reading a setting
    the patch sets are run, at the patch's own line.
    """
    changed = tuple(
        (key, patch.setting(key))
        for key in SETTINGS
        if not (patch.setting(key).is_unknown and patch.setting(key).reason == UNCHANGED)
    )
    base = creates.get(patch.name)
    state = patch
    if base is not None:
        state = merge(base, BucketPatch(patch.name, patch.origin, changed))
    keys = {key for key, _ in changed}
    context = bucket_context(config, patch.name)
    findings: list[Finding] = []
    incomplete: list[Incomplete] = []
    for rule in BUCKET_RULES:
        if rule.id in GRANT_RULES or not keys & set(rule.reads):
            continue
        unknown = rule.not_checked(state, context)
        if unknown is not None:
            what, why = unknown
            incomplete.append(
                Incomplete(
                    "buckets",
                    f"{record.origin.where()} ({patch.uri})",
                    f"{rule.id} not checked: {what}: {why}",
                    blocking=strict,
                    kind=IncompleteKind.UNKNOWN_VALUE,
                )
            )
            continue
        findings += [stamp(f, state) for f in rule.check(state, context)]
    return findings, incomplete


def _with_default_note(finding: Finding, snapshots: Sequence[BucketSnapshot]) -> Finding:
    """Say which judged values are documented defaults, where the rule's message does not."""
    snapshot = next((s for s in snapshots if s.origin == finding.origin), None)
    rule = next((rule for rule in BUCKET_RULES if rule.id == finding.rule_id), None)
    if snapshot is None or rule is None:
        return finding
    notes = []
    for name in rule.reads:
        setting = snapshot.setting(name)
        # The location type is inferred from the location: its note would repeat.
        if name == "location_type" or setting.known is not Known.DEFAULT:
            continue
        if setting.reason not in finding.message:
            notes.append(f"{name.replace('_', ' ')} {setting.value}: {setting.reason}")
    if not notes:
        return finding
    return dataclasses.replace(finding, message=f"{finding.message} ({'; '.join(notes)})")


#: Fixes for a bucket made or changed with gsutil, whose flags differ from gcloud's.
GSUTIL_FIX = {
    "CW101": "`-l us-west1` (or us-central1, us-east1) on gsutil mb",
    "CW102": "`-l us-west1` on gsutil mb (without -l it creates a US multi-region bucket)",
    "CW103": "`-l us-west1` without --placement on gsutil mb, or approve it in "
    "approved_dual_regions",
    "CW104": "`-c standard` on gsutil mb (or `gsutil defstorageclass set standard {uri}`)",
    "CW105": "no --autoclass on gsutil mb (or `gsutil autoclass set off {uri}`)",
    "CW106": "gsutil mb has no soft delete flag: follow it with "
    "`gcloud storage buckets update {uri} --clear-soft-delete`",
    "CW107": "`gsutil versioning set off {uri}`, or `gsutil lifecycle set FILE {uri}` with a "
    "rule deleting noncurrent versions",
    "CW108": "`gsutil requesterpays set off {uri}`",
    "CW109": "`gsutil rpo set DEFAULT {uri}`",
    "CW110": "`gsutil pap set inherited {uri}`",
    "CW112": "delete this grant (`gsutil iam ch -d allUsers {uri}`)",
    "CW113": "`gsutil iam ch allUsers:legacyObjectReader {uri}` instead of objectViewer",
    "CW114": "`-b on` on gsutil mb (or `gsutil ubla set on {uri}`)",
}


def _gsutil_fix(finding: Finding) -> Finding:
    origin = finding.origin
    if origin is None or not (origin.address or "").startswith("gsutil"):
        return finding
    text = GSUTIL_FIX.get(finding.rule_id)
    if text is None:
        return finding
    fix = Fix(text=text.format(uri=finding.resource), written_as="flag")
    return dataclasses.replace(finding, fix=fix)


def _summary(snapshot: BucketSnapshot) -> dict[str, Any]:
    location = snapshot.location
    if location.is_unknown:
        shown = f"unknown ({location.reason})"
    elif location.known is Known.DEFAULT:
        shown = f"{location.value} ({location.reason})"
    else:
        shown = str(location.value)
    where = snapshot.origin.path or ""
    if snapshot.origin.line:
        where = f"{where}:{snapshot.origin.line}"
    return {
        "bucket": snapshot.uri,
        "where": where,
        "source": snapshot.origin.kind.value,
        "location": shown,
    }


# --- suppressions ---------------------------------------------------------------------------


def _silencer(
    finding: Finding, comments: Sequence[Suppression], end_line: int | None
) -> Suppression | None:
    """An ignore comment for this rule, with a reason, on the line before the resource or
    command, or anywhere inside it."""
    if finding.line is None:
        return None
    last = max(end_line or finding.line, finding.line)
    for comment in comments:
        near = finding.line - 1 <= comment.line <= last
        if near and finding.rule_id in comment.rules and comment.reason:
            return comment
    return None


def _comments(path: Path) -> tuple[Suppression, ...]:
    try:
        data = path.read_bytes()
    except OSError:
        return ()
    return ignore_comments(data)


@dataclass
class Suppressed:
    findings: list[Finding]
    count: int
    stale: list[StaleSuppression]
    missing_reason: list[Finding]


def apply_suppressions(findings: Sequence[Finding], found: Harvest, root: Path) -> Suppressed:
    """Drop findings an inline ``costwatch: ignore[RULE] reason`` comment silences."""
    from costwatch.rules.links import LINK_RULES

    suppression_rule = next(rule for rule in LINK_RULES if rule.id == SUPPRESSION_RULE)
    ends: dict[tuple[str, int | None], int | None] = {}
    for origin in [b.origin for b in found.buckets] + [g.origin for g in found.grants]:
        ends[(origin.path, origin.line)] = origin.end_line
    files = sorted({f.path for f in findings if f.path} | {k[0] for k in ends})
    comments = {path: _comments(root / path) for path in files}
    kept: list[Finding] = []
    used: set[tuple[str, int, str]] = set()
    count = 0
    for finding in findings:
        path = finding.path or ""
        silencer = _silencer(finding, comments.get(path, ()), ends.get((path, finding.line)))
        if silencer is not None:
            count += 1
            used.add((path, silencer.line, finding.rule_id))
            continue
        kept.append(finding)
    stale: list[StaleSuppression] = []
    missing: list[Finding] = []
    for path, items in comments.items():
        for comment in items:
            if not comment.reason:
                rules = ",".join(comment.rules)
                missing.append(
                    suppression_rule.finding(
                        path,
                        f"costwatch: ignore[{rules}] has no reason, so it silences nothing: "
                        "say why after the bracket",
                        key=f"ignore[{rules}]",
                        path=path,
                        line=comment.line,
                    )
                )
                continue
            idle = [rule for rule in comment.rules if (path, comment.line, rule) not in used]
            if idle:
                stale.append(StaleSuppression(path, comment.line, tuple(idle)))
    return Suppressed(kept, count, stale, missing)


# --- the whole gate -------------------------------------------------------------------------


def run_gate(config: Config, options: CheckOptions) -> GateResult:
    """Read, judge, suppress, apply the baseline; unknowns and unreadable files are listed."""
    found, counts = harvest(options)
    judged = judge(found, config, options.strict)
    suppressed = apply_suppressions(judged.findings, found, options.root)
    findings = _dedupe(suppressed.findings + suppressed.missing_reason)
    section: dict[str, Any] = {
        "files_read": counts,
        "buckets": judged.buckets,
        "grants": len(found.grants),
        "suppressed_inline": suppressed.count,
        "stale_suppressions": [
            {"path": s.path, "line": s.line, "rules": list(s.rules)} for s in suppressed.stale
        ],
    }
    if options.baseline is not None:
        result = apply_baseline(findings, read_baseline(options.baseline))
        findings = list(result.findings)
        use = BaselineUse(options.baseline.as_posix(), result.accepted, tuple(result.stale))
        section["baseline"] = {"path": use.path, "accepted": use.accepted, "stale": list(use.stale)}
    unreadable = [
        Incomplete(
            SECTION,
            item.where(),
            item.reason,
            blocking=options.strict,
            kind=IncompleteKind.UNSUPPORTED if item.unreadable else IncompleteKind.UNKNOWN_VALUE,
        )
        for item in _dedupe_unchecked(found.unchecked)
    ]
    names = tuple(
        sorted({str(b.name.value) for b in found.buckets if not b.name.is_unknown and b.name.value})
    )
    return GateResult(tuple(findings), tuple(unreadable + judged.incomplete), section, names)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[str, str | None, int | None, str, str]] = set()
    out = []
    for finding in findings:
        identity = (finding.rule_id, finding.path, finding.line, finding.resource, finding.key)
        if identity not in seen:
            seen.add(identity)
            out.append(finding)
    return out


def _dedupe_unchecked(items: Iterable[r.Unchecked]) -> list[r.Unchecked]:
    seen: set[tuple[str, int | None, str]] = set()
    out = []
    for item in items:
        identity = (item.path, item.line, item.reason)
        if identity not in seen:
            seen.add(identity)
            out.append(item)
    return out


def run_check(
    config: Config, options: CheckOptions, now: datetime, *, live: bool = False
) -> Report:
    """The whole pre-deploy check as a report: files, the site's links, and with ``live`` the
    named buckets read through the API."""
    from costwatch.checks.audit import site_scan
    from costwatch.report import build_report, relative_uri
    from costwatch.rules.registry import rule_ids

    gate = run_gate(config, options)
    findings = list(gate.findings)
    incomplete = list(gate.incomplete)
    sections: list[Section] = [CheckSection.from_json(gate.section)]
    rules = rule_ids("bucket")
    if config.site:
        # What ships is the build output, so the gate scans it too.
        links = site_scan(dataclasses.replace(config, links=_with_build(config)), now)
        findings += links.findings
        incomplete += links.incomplete
        if links.section is not None:
            sections.append(links.section)
        rules += rule_ids("links")
    api_calls = None
    if live:
        live_findings, live_incomplete, api_calls = _live(config, gate.bucket_names)
        findings += live_findings
        incomplete += live_incomplete
    return build_report(
        "check",
        now,
        findings,
        incomplete,
        sections=sections,
        config_path=relative_uri(config.source),
        config_lines=dict(config.source_lines),
        rules=rules,
        as_of=now,
        project=config.project,
        api_calls=api_calls,
    )


def _with_build(config: Config) -> Any:
    return dataclasses.replace(config.links, include_build_output=True)


def _live(
    config: Config, found: tuple[str, ...]
) -> tuple[list[Finding], list[Incomplete], ApiCalls | None]:
    """The bucket audit (no usage) of the config's buckets and those the files name, and the
    requests it sent (None when it sent none)."""
    import os

    from costwatch.sources.gcs import ApiSettings, read_buckets

    names = tuple(dict.fromkeys((*config.buckets, *found)))
    if not names:
        # Without names the API would list every bucket of the project: not what was asked.
        reason = "--live: no bucket is named in the config or in the files"
        return [], [Incomplete("buckets", "*", reason, kind=IncompleteKind.MISSING_INPUT)], None
    project = os.environ.get("GOOGLE_CLOUD_PROJECT") or config.project
    api = ApiSettings(
        config.api_timeout_seconds,
        config.api_retry_seconds,
        config.api_concurrency,
        config.api_max_pages,
    )
    reading = read_buckets(names, project, api)
    findings, incomplete = judge_buckets(reading.items, config)
    return findings, list(reading.incomplete) + incomplete, reading.api_calls
