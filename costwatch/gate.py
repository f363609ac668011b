"""The pre-deploy gate: read Terraform, plans and scripts, judge them with the bucket rules.

Each bucket a file describes becomes the same snapshot the live audit judges, with the
documented default for every setting a create leaves out. A rule runs only when every
setting it reads is known or defaulted; a setting that could not be resolved is listed as not
checked with its expression. Findings sit at the file and line of the resource or command and
carry a fix in that file's language.
"""

from __future__ import annotations

import inspect
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from costwatch.baseline import apply_baseline, read_baseline
from costwatch.config import Config
from costwatch.findings import Finding, Incomplete, Severity
from costwatch.rules.bucket_base import BucketContext, BucketRule
from costwatch.rules.registry import BUCKET_RULES
from costwatch.sources.base import Binding, BucketSnapshot
from costwatch.sources.iac import records as r
from costwatch.sources.iac.defaults import location_type, with_defaults
from costwatch.sources.iac.files import FileKind, find_files, read_script, read_text
from costwatch.sources.iac.hcl import VarInputs, read_terraform, terraform_folders
from costwatch.sources.iac.plan import looks_like_plan, read_plan, sniff_plan
from costwatch.sources.iac.records import (
    BucketRecord,
    GrantKind,
    GrantRecord,
    Harvest,
    Origin,
    SourceKind,
    Value,
)
from costwatch.sources.site import Suppression, ignore_comments

SECTION = "check"
SUPPRESSION_RULE = "CW300"

#: The settings each bucket rule reads; a rule runs on a record only when all are known or
#: defaulted. Access rules read grants instead (see ``judge``).
RULE_INPUTS: dict[str, tuple[str, ...]] = {
    "CW101": (r.LOCATION,),
    "CW102": (r.LOCATION,),
    "CW103": (r.LOCATION, r.DATA_LOCATIONS),
    "CW104": (r.STORAGE_CLASS,),
    "CW105": (r.AUTOCLASS,),
    "CW106": (r.SOFT_DELETE_SECONDS,),
    "CW107": (r.VERSIONING, r.LIFECYCLE_DELETES_NONCURRENT),
    "CW108": (r.REQUESTER_PAYS,),
    "CW109": (r.RPO,),
    "CW110": (r.PUBLIC_ACCESS_PREVENTION,),
    "CW114": (r.UNIFORM_ACCESS,),
}
GRANT_RULES = frozenset({"CW112", "CW113"})
#: Where each bucket rule applies, for ``costwatch rules``.
APPLIES_TO: dict[str, tuple[str, ...]] = {
    rule_id: ("live", "terraform", "plan", "scripts") for rule_id in (*RULE_INPUTS, *GRANT_RULES)
}
APPLIES_TO["CW111"] = ("live", "terraform and plans with a whole-bucket _iam_policy")


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
class CheckResult:
    findings: tuple[Finding, ...]
    incomplete: tuple[Incomplete, ...]
    section: dict[str, Any]
    bucket_names: tuple[str, ...] = ()


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def harvest(options: CheckOptions) -> tuple[Harvest, dict[str, int]]:
    """Every record in the paths, and how many files of each kind were read."""
    found = find_files(options.paths, options.exclude)
    total = Harvest()
    counts: dict[str, int] = {}
    tf_files = found.files.get(FileKind.TERRAFORM, [])
    terraform = Harvest()
    if tf_files:
        terraform = read_terraform(terraform_folders(tf_files), options.root, options.inputs)
        counts["terraform"] = len(tf_files)
    plans = Harvest()
    lines: dict[str, tuple[str, int]] = {}
    for record in terraform.buckets:
        lines[record.origin.address] = (record.origin.path, record.origin.line or 1)
    for grant in terraform.grants:
        lines[grant.origin.address] = (grant.origin.path, grant.origin.line or 1)
    for path in found.files.get(FileKind.PLAN, []):
        shown = _shown(path, options.root)
        if not _plan_candidate(path):
            continue
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
    if plans.buckets or plans.grants:
        # The plan is authoritative: drop source records for the resources it covers.
        covered = {b.origin.address.split("[")[0] for b in plans.buckets}
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


def _plan_candidate(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return sniff_plan(handle.read(4096))
    except OSError:
        return False


# --- judging --------------------------------------------------------------------------------


def _label(name: Value, origin: Origin) -> str:
    """``gs://NAME``, or a description of a bucket whose name is not known."""
    if not name.is_unknown and name.value:
        return f"gs://{name.value}"
    if name.note.startswith("bucket gs://"):
        return name.note.removeprefix("bucket ").split(":", 2)[0] + ":" + name.note.split(":")[1]
    return f"the bucket of {origin.address or origin.where()}"


def _value(settings: Mapping[str, Value], key: str, fallback: Any) -> Any:
    value = settings.get(key)
    return fallback if value is None or value.is_unknown else value.value


def snapshot_of(
    name: str, settings: Mapping[str, Value], bindings: tuple[Binding, ...] | None
) -> BucketSnapshot:
    """A snapshot for the bucket rules; settings left out get values no rule fires on, and
    ``RULE_INPUTS`` keeps rules off settings that were left out or unknown."""
    location = str(_value(settings, r.LOCATION, "US-WEST1")).upper()
    data_locations = tuple(_value(settings, r.DATA_LOCATIONS, ()) or ())
    lifecycle = (
        ({"action": {"type": "Delete"}, "condition": {"numNewerVersions": 1}},)
        if _value(settings, r.LIFECYCLE_DELETES_NONCURRENT, False)
        else ()
    )
    return BucketSnapshot(
        name=name,
        location=location,
        location_type=location_type(location, data_locations),
        data_locations=data_locations,
        storage_class=str(_value(settings, r.STORAGE_CLASS, "STANDARD")).upper(),
        autoclass_enabled=bool(_value(settings, r.AUTOCLASS, False)),
        soft_delete_seconds=int(_value(settings, r.SOFT_DELETE_SECONDS, 0) or 0),
        versioning_enabled=bool(_value(settings, r.VERSIONING, False)),
        lifecycle_rules=lifecycle,
        requester_pays=bool(_value(settings, r.REQUESTER_PAYS, False)),
        rpo=_value(settings, r.RPO, None),
        public_access_prevention=_value(settings, r.PUBLIC_ACCESS_PREVENTION, None),
        uniform_access=bool(_value(settings, r.UNIFORM_ACCESS, True)),
        bindings=bindings,
    )


def _context(config: Config, name: Value) -> BucketContext:
    key = str(name.value) if not name.is_unknown and name.value else ""
    return BucketContext(
        public=config.settings_for(key).public,
        approved_dual_regions=config.approved_dual_regions,
    )


def _bindings(grants: Iterable[GrantRecord]) -> tuple[Binding, ...]:
    by_role: dict[str, list[str]] = defaultdict(list)
    for grant in grants:
        if grant.member:
            by_role[grant.role].append(grant.member)
    return tuple(Binding(role, tuple(members)) for role, members in sorted(by_role.items()))


@dataclass
class Judged:
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[r.Unchecked] = field(default_factory=list)
    buckets: list[dict[str, Any]] = field(default_factory=list)


def judge(found: Harvest, config: Config) -> Judged:
    """Every bucket rule over every record, at the record's own location."""
    out = Judged()
    by_ref: dict[str, list[GrantRecord]] = defaultdict(list)
    by_name: dict[str, list[GrantRecord]] = defaultdict(list)
    for grant in found.grants:
        if grant.bucket_ref:
            by_ref[grant.bucket_ref].append(grant)
        elif not grant.bucket.is_unknown:
            by_name[str(grant.bucket.value)].append(grant)
    rules = {rule.id: rule for rule in BUCKET_RULES}
    for record in found.buckets:
        settings = with_defaults(record)
        name_key = str(record.name.value) if not record.name.is_unknown else ""
        related = by_ref.get(record.ref, []) + (by_name.get(name_key, []) if name_key else [])
        complete = any(g.authoritative for g in related)
        policy = _bindings(g for g in related if g.authoritative) if complete else None
        label = _label(record.name, record.origin)
        snapshot = snapshot_of(name_key or label, settings, policy)
        context = _context(config, record.name)
        for value in settings.values():
            if value.is_unknown:
                out.unchecked.append(
                    r.Unchecked(record.origin.path, record.origin.line, _unknown(record, value))
                )
        terraform = record.origin.kind is not SourceKind.SCRIPT
        if terraform and r.LOCATION not in settings and record.action is r.Action.CREATE:
            out.unchecked.append(
                r.Unchecked(
                    record.origin.path,
                    record.origin.line,
                    f"{record.origin.address}: location missing (required by the provider)",
                )
            )
        for rule_id, inputs in RULE_INPUTS.items():
            values = [settings.get(key) for key in inputs]
            if any(v is None or v.is_unknown for v in values[:1]) or any(
                v is not None and v.is_unknown for v in values
            ):
                continue
            for finding in rules[rule_id].check(snapshot, context):
                out.findings.append(_place(finding, record, label, settings, inputs))
        if complete:
            for finding in rules["CW111"].check(snapshot, context):
                out.findings.append(_place(finding, record, label, settings, ()))
        out.buckets.append(_summary(record, settings, label))
    # Grants are judged where they are written, once per location.
    groups: dict[tuple[str, int | None, str], list[GrantRecord]] = defaultdict(list)
    for grant in found.grants:
        if grant.member:
            bucket = str(grant.bucket.value) if not grant.bucket.is_unknown else ""
            groups[(grant.origin.path, grant.origin.line, bucket or grant.bucket_ref)].append(grant)
    for grants in groups.values():
        first = grants[0]
        label = _label(first.bucket, first.origin)
        name = str(first.bucket.value) if not first.bucket.is_unknown else label
        iam = _bindings(g for g in grants if g.kind is GrantKind.IAM)
        acl = _bindings(g for g in grants if g.kind is not GrantKind.IAM)
        snapshot = BucketSnapshot(name, "US-WEST1", "region", bindings=iam, acl_grants=acl)
        context = _context(config, first.bucket)
        for rule_id in sorted(GRANT_RULES):
            for finding in rules[rule_id].check(snapshot, context):
                out.findings.append(_place_grant(finding, first, label))
    return out


def _unknown(record: BucketRecord, value: Value) -> str:
    return f"{record.origin.address or 'bucket'}: {value.note}"


def _summary(record: BucketRecord, settings: Mapping[str, Value], label: str) -> dict[str, Any]:
    location = settings.get(r.LOCATION)
    return {
        "bucket": label,
        "where": record.origin.where(),
        "source": record.origin.kind.value,
        "action": record.action.value,
        "location": _describe(location),
    }


def _describe(value: Value | None) -> str:
    if value is None:
        return "unchanged"
    if value.is_unknown:
        return f"unknown ({value.note})"
    if value.certainty is r.Certainty.DEFAULT:
        return f"{value.value} ({value.note})"
    return str(value.value)


def _evidence(settings: Mapping[str, Value], inputs: Sequence[str]) -> str:
    notes = [
        f"{key.replace('_', ' ')}: {_describe(settings[key])}"
        for key in inputs
        if key in settings and settings[key].certainty is r.Certainty.DEFAULT
    ]
    return f" [{'; '.join(notes)}]" if notes else ""


def _place(
    finding: Finding,
    record: BucketRecord,
    label: str,
    settings: Mapping[str, Value],
    inputs: Sequence[str],
) -> Finding:
    title = _title(finding.rule_id)
    fix = fix_for(finding.rule_id, record.origin, label)
    message = f"{label}: {title}{_evidence(settings, inputs)}. Fix: {fix}"
    return Finding(
        rule_id=finding.rule_id,
        severity=finding.severity,
        resource=label,
        message=message,
        key=f"{record.origin.address}:{finding.key}",
        path=record.origin.path,
        line=record.origin.line,
    )


def _place_grant(finding: Finding, grant: GrantRecord, label: str) -> Finding:
    title = _title(finding.rule_id)
    fix = fix_for(finding.rule_id, grant.origin, label, finding.key)
    return Finding(
        rule_id=finding.rule_id,
        severity=finding.severity,
        resource=label,
        message=f"{label}: {title} ({finding.key}). Fix: {fix}",
        key=f"{grant.origin.address}:{finding.key}",
        path=grant.origin.path,
        line=grant.origin.line,
    )


_RULES: dict[str, BucketRule] = {rule.id: rule for rule in BUCKET_RULES}


def _title(rule_id: str) -> str:
    return inspect.cleandoc(type(_RULES[rule_id]).__doc__ or rule_id).split("\n")[0].rstrip(".")


# --- fixes in the source's own language -----------------------------------------------------

_TF_FIX = {
    "CW101": 'location = "US-WEST1" (or US-CENTRAL1, US-EAST1), before the bucket exists',
    "CW102": 'location = "US-WEST1" (a region; a location cannot change after creation)',
    "CW103": 'location = "US-WEST1" without custom_placement_config, or approve it in '
    "approved_dual_regions",
    "CW104": 'storage_class = "STANDARD"',
    "CW105": "autoclass { enabled = false } (or remove the block)",
    "CW106": "soft_delete_policy { retention_duration_seconds = 0 }",
    "CW107": 'lifecycle_rule { action { type = "Delete" } condition '
    "{ days_since_noncurrent_time = 7 } }, or versioning { enabled = false }",
    "CW108": "requester_pays = false",
    "CW109": 'rpo = "DEFAULT"',
    "CW110": 'public_access_prevention = "inherited"',
    "CW111": 'a google_storage_bucket_iam_member with role = "roles/storage.legacyObjectReader" '
    'and member = "allUsers"',
    "CW112": "remove this grant (or mark the bucket public = false only if it is private)",
    "CW113": 'role = "roles/storage.legacyObjectReader" (reads without listing)',
    "CW114": "uniform_bucket_level_access = true",
}
_GCLOUD_FIX = {
    "CW101": "--location=us-west1 (or us-central1, us-east1)",
    "CW102": "--location=us-west1 (without --location gcloud creates a US multi-region bucket)",
    "CW103": "--location=us-west1 without --placement, or approve it in approved_dual_regions",
    "CW104": "--default-storage-class=STANDARD",
    "CW105": "drop --enable-autoclass (or --no-enable-autoclass on update)",
    "CW106": "--soft-delete-duration=0 (create) or --clear-soft-delete (update)",
    "CW107": "--lifecycle-file=FILE with a rule deleting noncurrent versions, or --no-versioning",
    "CW108": "--no-requester-pays",
    "CW109": "--rpo=DEFAULT",
    "CW110": "--no-public-access-prevention",
    "CW111": "gcloud storage buckets add-iam-policy-binding {uri} --member=allUsers "
    "--role=roles/storage.legacyObjectReader",
    "CW112": "remove this grant: gcloud storage buckets remove-iam-policy-binding {uri} "
    "--member=MEMBER --role=ROLE",
    "CW113": "--role=roles/storage.legacyObjectReader (reads without listing)",
    "CW114": "--uniform-bucket-level-access",
}
_GSUTIL_FIX = {
    "CW101": "-l us-west1 (or us-central1, us-east1)",
    "CW102": "-l us-west1 (without -l gsutil mb creates a US multi-region bucket)",
    "CW103": "-l us-west1 without --placement",
    "CW104": "-c standard (or gsutil defstorageclass set standard {uri})",
    "CW105": "drop --autoclass (or gsutil autoclass set off {uri})",
    "CW106": "gsutil mb has no soft delete flag: follow it with "
    "gcloud storage buckets update {uri} --clear-soft-delete",
    "CW107": "gsutil versioning set off {uri}, or gsutil lifecycle set FILE {uri}",
    "CW108": "gsutil requesterpays set off {uri}",
    "CW109": "gsutil rpo set DEFAULT {uri}",
    "CW110": "gsutil pap set inherited {uri}",
    "CW111": "gsutil iam ch allUsers:legacyObjectReader {uri}",
    "CW112": "remove this grant: gsutil iam ch -d MEMBER {uri}",
    "CW113": "allUsers:legacyObjectReader instead of objectViewer",
    "CW114": "-b on (or gsutil ubla set on {uri})",
}


def fix_for(rule_id: str, origin: Origin, label: str, key: str = "") -> str:
    """How to fix ``rule_id`` in the language of the file the finding is in."""
    uri = label if label.startswith("gs://") else "gs://BUCKET"
    if origin.kind is not SourceKind.SCRIPT:
        return _TF_FIX[rule_id]
    table = _GSUTIL_FIX if origin.address.startswith("gsutil") else _GCLOUD_FIX
    return table[rule_id].format(uri=uri)


# --- suppressions ---------------------------------------------------------------------------


def _silencer(
    finding: Finding, comments: Sequence[Suppression], end_line: int | None
) -> Suppression | None:
    """An ignore comment for this rule, with a reason, on the line before the resource or
    command, or inside it."""
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
    return ignore_comments(data) if b"costwatch:" in data else ()


@dataclass
class Suppressed:
    findings: list[Finding]
    count: int
    stale: list[dict[str, Any]]
    missing_reason: list[Finding]


def apply_suppressions(
    findings: Sequence[Finding], found: Harvest, root: Path, suppression_rule: Any
) -> Suppressed:
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
        end = ends.get((path, finding.line))
        silencer = _silencer(finding, comments.get(path, ()), end)
        if silencer is not None:
            count += 1
            used.add((path, silencer.line, finding.rule_id))
            continue
        kept.append(finding)
    stale = []
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
            if idle and any(rule.startswith("CW1") for rule in idle):
                stale.append({"path": path, "line": comment.line, "rules": idle})
    return Suppressed(kept, count, stale, missing)


# --- the whole check ------------------------------------------------------------------------


def run_check(config: Config, options: CheckOptions) -> CheckResult:
    """Read, judge, suppress, apply the baseline; unknowns and unreadable files are listed."""
    from costwatch.rules.registry import LINK_RULES

    found, counts = harvest(options)
    judged = judge(found, config)
    suppression_rule = next(rule for rule in LINK_RULES if rule.id == SUPPRESSION_RULE)
    suppressed = apply_suppressions(judged.findings, found, options.root, suppression_rule)
    findings = _dedupe(suppressed.findings + suppressed.missing_reason)
    section: dict[str, Any] = {
        "files_read": counts,
        "buckets": judged.buckets,
        "grants": len(found.grants),
        "suppressed_inline": suppressed.count,
        "stale_suppressions": suppressed.stale,
    }
    if options.baseline is not None:
        result = apply_baseline(findings, read_baseline(options.baseline))
        findings = list(result.findings)
        section["baseline"] = {
            "path": options.baseline.as_posix(),
            "accepted": result.accepted,
            "stale": list(result.stale),
        }
    unchecked = _dedupe_unchecked([*found.unchecked, *judged.unchecked])
    incomplete = tuple(
        Incomplete(SECTION, item.where(), item.reason, blocking=options.strict)
        for item in unchecked
    )
    names = tuple(
        sorted({str(b.name.value) for b in found.buckets if not b.name.is_unknown and b.name.value})
    )
    return CheckResult(tuple(findings), incomplete, section, names)


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


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
