"""What link rules share: their context and base class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from costwatch.findings import Finding, Severity
from costwatch.model import LinkSnapshot
from costwatch.rules.base import Rule


@dataclass(frozen=True)
class LinkContext:
    """When the site is judged (for signed-URL expiry) and which buckets the config lists."""

    as_of: datetime
    known_buckets: frozenset[str] = frozenset()


class LinkRule(Rule[LinkSnapshot, LinkContext]):
    """A rule about one link found in the site's source.

    ``hosts`` names the hosts (and their subdomains) the rule looks at, and ``schemes`` the
    URL schemes; a rule with neither looks at every link. The engine skips a rule for links it
    cannot apply to, which matters on sites with thousands of links to one image host.
    ``params`` names query parameters (lower case) that make a link on any host worth reading
    (a signature): a rule that declares only parameters judges only links that carry one.
    The scanner finds exactly what these declarations name, nothing else.
    """

    family = "links"
    hosts: ClassVar[tuple[str, ...]] = ()
    schemes: ClassVar[tuple[str, ...]] = ()
    params: ClassVar[tuple[str, ...]] = ()
    applies_to: ClassVar[str] = (
        "site source: pages, components, styles, data and templates (links; audit and check "
        "when the config names a `site`)"
    )

    @classmethod
    def covers(cls, scheme: str, host: str) -> bool:
        """Can the rule judge links with this scheme and host (before their parameters)?"""
        if not cls.hosts and not cls.schemes:
            return True
        if scheme in cls.schemes:
            return True
        return any(host == h or host.endswith("." + h) for h in cls.hosts)

    @classmethod
    def needs_params(cls) -> frozenset[str] | None:
        """The parameters one of which a link must carry to be judged; None: no such need."""
        if cls.params and not cls.hosts and not cls.schemes:
            return frozenset(cls.params)
        return None

    def at(
        self, occurrence: LinkSnapshot, message: str, severity: Severity | None = None
    ) -> Finding:
        """A finding located at the occurrence, keyed on its redacted URL (never the raw one).

        A link inside a comment or commented-out code is never loaded by the page, so it is
        at most a note whatever the rule's severity.
        """
        if occurrence.in_comment:
            severity = Severity.NOTE
            message = f"in a comment (not loaded by the page): {message}"
        return self.finding(
            occurrence.path,
            message,
            key=occurrence.link.redacted,
            severity=severity,
            path=occurrence.path,
            line=occurrence.line,
        )
