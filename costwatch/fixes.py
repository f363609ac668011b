"""Write a finding's fix in the language of where the bucket is described.

A rule says *what* to change (:class:`~costwatch.findings.Fix`); this module says *how*, per
origin: a ``gcloud`` command for a live bucket, a Terraform attribute or block for a ``.tf``
file or a plan, a flag for the command in a deploy script. Formats call :func:`render_fix`.
"""

from __future__ import annotations

from collections.abc import Callable

from costwatch.findings import Finding, Fix
from costwatch.model import SourceKind

_UPDATE = "gcloud storage buckets update {uri}"
_DELETE_NONCURRENT = (
    '{"rule": [{"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 7}}]}'
)

#: setting -> value -> (gcloud flag on update, Terraform attribute, script flag)
_SETTING_FORMS: dict[str, Callable[[object], tuple[str, str, str]]] = {
    "storage_class": lambda v: (
        f"--default-storage-class={v}",
        f'storage_class = "{v}"',
        f"--default-storage-class={v}",
    ),
    "autoclass": lambda v: (
        "--enable-autoclass" if v else "--no-enable-autoclass",
        f"autoclass {{ enabled = {str(bool(v)).lower()} }}",
        "--enable-autoclass"
        if v
        else "no --enable-autoclass flag (and `gsutil autoclass set off`)",
    ),
    "soft_delete_seconds": lambda v: (
        "--clear-soft-delete" if not v else f"--soft-delete-duration={v}s",
        f"soft_delete_policy {{ retention_duration_seconds = {v} }}",
        f"--soft-delete-duration={v}" if v else "--soft-delete-duration=0",
    ),
    "versioning": lambda v: (
        "--versioning" if v else "--no-versioning",
        f"versioning {{ enabled = {str(bool(v)).lower()} }}",
        "--versioning" if v else "--no-versioning",
    ),
    "requester_pays": lambda v: (
        "--requester-pays" if v else "--no-requester-pays",
        f"requester_pays = {str(bool(v)).lower()}",
        "--requester-pays" if v else "--no-requester-pays",
    ),
    "rpo": lambda v: (f"--rpo={v}", f'rpo = "{v}"', f"--rpo={v}"),
    "public_access_prevention": lambda v: (
        "--public-access-prevention" if v == "enforced" else "--no-public-access-prevention",
        f'public_access_prevention = "{v}"',
        "--public-access-prevention" if v == "enforced" else "--no-public-access-prevention",
    ),
    "uniform_access": lambda v: (
        "--uniform-bucket-level-access" if v else "--no-uniform-bucket-level-access",
        f"uniform_bucket_level_access = {str(bool(v)).lower()}",
        "--uniform-bucket-level-access" if v else "--no-uniform-bucket-level-access",
    ),
    "lifecycle_rules": lambda v: (
        "--lifecycle-file=FILE (FILE: "
        '{"rule": [{"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 7}}]}'
        "), or --no-versioning",
        'lifecycle_rule { action { type = "Delete" } condition { days_since_noncurrent_time '
        "= 7 } } (or versioning { enabled = false })",
        "--lifecycle-file=FILE with a rule deleting noncurrent versions, or --no-versioning",
    ),
}


def _location(uri: str, value: object, kind: SourceKind) -> str:
    region = str(value)
    if kind is SourceKind.LIVE:
        return (
            f"a location cannot be changed: `gcloud storage buckets create gs://NEW "
            f"--location={region} --default-storage-class=STANDARD "
            f"--uniform-bucket-level-access` then `gcloud storage rsync -r {uri} gs://NEW`"
        )
    if kind in (SourceKind.TERRAFORM, SourceKind.PLAN):
        return (
            f'`location = "{region.upper()}"` (and no custom_placement_config); changing it '
            "replaces the bucket, so copy existing objects first"
        )
    return f"`--location={region}` on the create command (gsutil mb: `-l {region}`)"


def _grant(uri: str, member: str, role: str, kind: SourceKind, *, add: bool) -> str:
    if kind in (SourceKind.TERRAFORM, SourceKind.PLAN):
        if add:
            return (
                f'`resource "google_storage_bucket_iam_member" {{ bucket = ... role = "{role}" '
                f'member = "{member}" }}`'
            )
        return f'remove the grant of `{role}` to `"{member}"`'
    verb = "add" if add else "remove"
    command = (
        f"gcloud storage buckets {verb}-iam-policy-binding {uri} --member={member} --role={role}"
    )
    if kind is SourceKind.SCRIPT and not add:
        return f"delete the command that grants {member} {role} (or run `{command}`)"
    return f"`{command}`"


def render_fix(fix: Fix, uri: str, kind: SourceKind = SourceKind.LIVE) -> str:
    """``fix`` for the bucket ``uri``, written for a bucket described by ``kind``."""
    if fix.text:
        return fix.text
    parts: list[str] = []
    if fix.setting == "location":
        parts.append(_location(uri, fix.value, kind))
    elif fix.setting == "lifecycle_rules" and kind is SourceKind.LIVE:
        update = _UPDATE.format(uri=uri)
        parts.append(
            f"`{update} --lifecycle-file=FILE` with FILE holding `{_DELETE_NONCURRENT}`, "
            f"or turn versioning off: `{update} --no-versioning`"
        )
    elif fix.setting:
        live, terraform, script = _SETTING_FORMS[fix.setting](fix.value)
        if kind is SourceKind.LIVE:
            parts.append(f"`{_UPDATE.format(uri=uri)} {live}`")
        elif kind in (SourceKind.TERRAFORM, SourceKind.PLAN):
            parts.append(f"`{terraform}`")
        else:
            parts.append(f"`{script}`")
    if fix.grant is not None:
        parts.append(_grant(uri, *fix.grant, kind, add=True))
    if fix.revoke is not None:
        parts.append(_grant(uri, *fix.revoke, kind, add=False))
    return " then ".join(parts)


def fix_text(finding: Finding) -> str | None:
    """The finding's fix as text for its origin, or None when the rule gave none."""
    if finding.fix is None:
        return None
    kind = finding.origin.kind if finding.origin is not None else SourceKind.LIVE
    return render_fix(finding.fix, finding.resource, kind)


def fix_kind(finding: Finding) -> str | None:
    """What language the fix is written in: gcloud, terraform, flag or text."""
    if finding.fix is None:
        return None
    if finding.fix.text:
        return finding.fix.written_as
    kind = finding.origin.kind if finding.origin is not None else SourceKind.LIVE
    return {
        SourceKind.LIVE: "gcloud",
        SourceKind.TERRAFORM: "terraform",
        SourceKind.PLAN: "terraform",
        SourceKind.SCRIPT: "flag",
    }[kind]
