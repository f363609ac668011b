"""What every check returns, and the clock the engine is given instead of reading one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from costwatch.findings import Finding, Incomplete
from costwatch.report import Section

#: The engine never calls ``datetime.now``: the command line passes a clock, tests a fixed one.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CheckResult:
    """One check's findings, what it could not check, and the report section it produced."""

    findings: tuple[Finding, ...] = ()
    incomplete: tuple[Incomplete, ...] = ()
    section: Section | None = None
