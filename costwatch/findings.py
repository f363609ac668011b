"""The objects every source, rule and format shares: severities, findings, fixes, skipped work."""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from costwatch.model import IncompleteKind as IncompleteKind
from costwatch.model import Origin


class Severity(StrEnum):
    """How bad a finding is; ordered note < warning < error."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.NOTE: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class FailOn(StrEnum):
    """The lowest severity that makes the run exit 1."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    NEVER = "never"

    def trips(self, severity: Severity) -> bool:
        if self is FailOn.NEVER:
            return False
        return severity.rank >= Severity(self.value).rank


def fingerprint(*parts: str) -> str:
    """A short content hash that stays the same across runs for the same problem."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:16]


_fingerprint = fingerprint


@dataclass(frozen=True)
class Fix:
    """How to fix a finding, apart from where the bucket is described.

    A bucket rule names the change (a setting and its new value, or a grant to add or revoke);
    :mod:`costwatch.fixes` writes it in the language of the finding's origin: a ``gcloud``
    command for a live bucket, a Terraform attribute for a ``.tf`` file, a flag for a script.
    ``text`` is a fix that is the same everywhere (link findings).
    """

    setting: str = ""
    value: str | int | bool | None = None
    grant: tuple[str, str] | None = None
    revoke: tuple[str, str] | None = None
    text: str = ""
    #: For a ``text`` fix read back from a report: the language it was written in.
    written_as: str = "text"


@dataclass(frozen=True, init=False)
class Finding:
    """One problem a rule found.

    ``resource`` is what the problem is about (``gs://NAME`` or a file path); ``key`` is the
    content that identifies it within that resource (a role, a redacted URL) and feeds the
    fingerprint, so moving a line does not change it.
    """

    rule_id: str
    severity: Severity
    resource: str
    message: str
    key: str = ""
    path: str | None = None
    line: int | None = None
    fingerprint: str = field(default="")
    fix: Fix | None = None
    origin: Origin | None = None

    # Written out rather than generated: a frozen dataclass's own ``__init__`` sets each field
    # through ``object.__setattr__``, and a link scan creates tens of thousands of findings.
    def __init__(
        self,
        rule_id: str,
        severity: Severity,
        resource: str,
        message: str,
        key: str = "",
        path: str | None = None,
        line: int | None = None,
        fingerprint: str = "",
        fix: Fix | None = None,
        origin: Origin | None = None,
    ) -> None:
        self.__dict__.update(
            rule_id=rule_id,
            severity=severity,
            resource=resource,
            message=message,
            key=key,
            path=path,
            line=line,
            fingerprint=fingerprint or _fingerprint(rule_id, resource, key),
            fix=fix,
            origin=origin,
        )


#: A finding's fields in order, as :func:`finding_rows` writes them.
_FIELDS = (
    "rule_id",
    "severity",
    "resource",
    "message",
    "key",
    "path",
    "line",
    "fingerprint",
    "fix",
    "origin",
)
_row_of = operator.attrgetter(*_FIELDS)


def finding_rows(findings: Iterable[Finding]) -> list[tuple[Any, ...]]:
    """Findings as flat tuples of their fields, for passing between processes.

    Pickling tuples runs in C; pickling the findings themselves writes a dictionary per
    finding, several times slower for the tens of thousands a link scan can find.
    """
    return list(map(_row_of, findings))


def findings_from_rows(rows: Iterable[tuple[Any, ...]]) -> list[Finding]:
    """The findings :func:`finding_rows` flattened, rebuilt."""
    return [Finding(*row) for row in rows]


@dataclass(frozen=True)
class Incomplete:
    """Something that could not be checked, and why: never silently treated as fine.

    A blocking entry makes the run exit 2; a skipped file is listed but not blocking unless
    the user asked for ``--strict``.
    """

    section: str
    resource: str
    reason: str
    blocking: bool = True
    kind: IncompleteKind = IncompleteKind.UNAVAILABLE


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by resource, line and rule for a stable order."""
    return sorted(
        findings,
        key=lambda f: (-f.severity.rank, f.resource, f.line or 0, f.rule_id, f.key),
    )
