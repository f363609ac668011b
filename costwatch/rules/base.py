"""The rule protocol, the registry, and the documentation read from rule docstrings."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from costwatch.findings import Finding, Fix, Severity

SnapshotT = TypeVar("SnapshotT")
ContextT = TypeVar("ContextT")


class Rule(Generic[SnapshotT, ContextT]):
    """A rule judges one snapshot in a context and yields findings; it never does I/O.

    Subclasses set ``id`` (permanent, never reused), ``severity`` (the default; a finding may
    carry another where the rule's docstring says so) and a docstring whose first line is the
    title and whose body says why it matters and how to fix it.
    """

    id: ClassVar[str]
    severity: ClassVar[Severity]
    family: ClassVar[str]

    def check(self, snapshot: SnapshotT, context: ContextT) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        resource: str,
        message: str,
        *,
        key: str = "",
        severity: Severity | None = None,
        path: str | None = None,
        line: int | None = None,
        fix: Fix | None = None,
    ) -> Finding:
        return Finding(
            rule_id=self.id,
            severity=severity or self.severity,
            resource=resource,
            message=message,
            key=key,
            path=path,
            line=line,
            fix=fix,
        )


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation as shown by ``costwatch rules`` and in SARIF rule metadata."""

    id: str
    severity: Severity
    family: str
    title: str
    body: str
    #: Where the rule judges (bucket rules: live buckets, Terraform, plans, scripts).
    applies_to: str = ""


def rule_doc(rule: type[Rule[Any, Any]] | Rule[Any, Any]) -> RuleDoc:
    cls = rule if isinstance(rule, type) else type(rule)
    doc = inspect.cleandoc(cls.__doc__ or "")
    title, _, body = doc.partition("\n")
    applies_to = getattr(cls, "applies_to", "")
    if not isinstance(applies_to, str):
        applies_to = ""
    return RuleDoc(cls.id, cls.severity, cls.family, title.strip(), body.strip(), applies_to)
