"""The one report object every output format renders, and its JSON form (schema_version 1).

A report is built once (:func:`build_report`), rendered by every format, and read back from its
JSON by :func:`report_from_json` (the report history needs that). Optional sections are typed:
each has a ``key`` (its name in the JSON), ``to_json`` and ``from_json``, and registers itself in
:data:`SECTION_TYPES` so the loader knows it. A section the loader does not know is kept as it
was read (:class:`RawSection`), so reading and writing a newer document loses nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from costwatch import __version__
from costwatch.findings import (
    FailOn,
    Finding,
    Fix,
    Incomplete,
    IncompleteKind,
    Severity,
    sort_findings,
)
from costwatch.fixes import fix_kind, fix_text
from costwatch.footprint import ApiCalls
from costwatch.model import BucketUsage, Origin, SourceKind
from costwatch.units import iso, iso_or_none, parse_iso

SCHEMA_VERSION = 1


class ReportFormatError(ValueError):
    """A document is not a costwatch report this version can read."""


@runtime_checkable
class Section(Protocol):
    """An optional, typed part of a report (usage, links, changes, inventory...)."""

    key: ClassVar[str]

    def to_json(self) -> dict[str, Any]: ...


SectionT = TypeVar("SectionT", bound=Section)

#: Section types by their JSON key, for the loader. A module defining a section registers it.
SECTION_TYPES: dict[str, Any] = {}


def register_section(cls: type[SectionT]) -> type[SectionT]:
    """Class decorator: make ``report_from_json`` read sections with this class's key."""
    SECTION_TYPES[cls.key] = cls
    return cls


@dataclass(frozen=True)
class RawSection:
    """A section this version does not know, kept as read."""

    name: str
    data: Any
    key: ClassVar[str] = ""

    def to_json(self) -> Any:
        return self.data


@dataclass(frozen=True)
class BucketSummary:
    """One audited bucket as the report lists it; ``free_tier_eligible`` None when unknown."""

    name: str
    location: str
    location_type: str
    storage_class: str
    public: bool
    free_tier_eligible: bool | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "location": self.location,
            "location_type": self.location_type,
            "storage_class": self.storage_class,
            "public": self.public,
            "free_tier_eligible": self.free_tier_eligible,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BucketSummary:
        return cls(
            str(data["name"]),
            str(data["location"]),
            str(data["location_type"]),
            str(data["storage_class"]),
            bool(data["public"]),
            None if data["free_tier_eligible"] is None else bool(data["free_tier_eligible"]),
        )


# --- usage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One free-tier resource in the usage section; None where it could not be read."""

    used: float | None
    forecast: float | None
    allowance: float
    crossing_at: datetime | None = None
    overage_usd: float | None = None
    unknown: str | None = None

    def to_json(self, used: str, forecast: str, allowance: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            used: self.used,
            forecast: self.forecast,
            allowance: self.allowance,
            "crossing_at": iso_or_none(self.crossing_at),
            "overage_usd": self.overage_usd,
        }
        if self.unknown:
            out["unknown"] = self.unknown
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any], used: str, forecast: str, allowance: str) -> Figure:
        crossing = data.get("crossing_at")
        return cls(
            data.get(used),
            data.get(forecast),
            data[allowance],
            parse_iso(crossing) if crossing else None,
            data.get("overage_usd"),
            data.get("unknown"),
        )


#: JSON field names of each usage resource: used, forecast, allowance.
FIGURE_FIELDS = {
    "egress": ("used_bytes", "forecast_bytes", "allowance_bytes"),
    "class_a_ops": ("used", "forecast", "allowance"),
    "class_b_ops": ("used", "forecast", "allowance"),
    "storage": ("used_gib_months", "forecast_gib_months", "allowance_gib_months"),
}
_BUCKET_USAGE_FIELDS = (
    "name",
    "location",
    "free_region",
    "has_data",
    "egress_bytes",
    "class_a_ops",
    "class_b_ops",
    "storage_bytes",
    "storage_gib_months",
)


@register_section
@dataclass(frozen=True)
class UsageSection:
    """This month's usage against the allowance: figures, buckets, daily egress."""

    project: str
    start: datetime
    end: datetime
    as_of: datetime
    figures: Mapping[str, Figure]
    buckets: tuple[BucketUsage, ...] = ()
    daily: tuple[tuple[date, float, float], ...] = ()
    unknown_methods: tuple[tuple[str, float], ...] = ()
    notes: tuple[str, ...] = ()
    timezone: str = "America/Los_Angeles"
    key: ClassVar[str] = "usage"

    def figure(self, name: str) -> Figure:
        return self.figures[name]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "project": self.project,
            "period": {
                "start": iso(self.start),
                "end": iso(self.end),
                "as_of": iso(self.as_of),
                "timezone": self.timezone,
            },
        }
        for name, names in FIGURE_FIELDS.items():
            out[name] = self.figures[name].to_json(*names)
        out["buckets"] = [
            {name: getattr(b, name) for name in _BUCKET_USAGE_FIELDS} for b in self.buckets
        ]
        out["daily"] = [
            {"date": day.isoformat(), "egress_bytes": free, "other_egress_bytes": other}
            for day, free, other in self.daily
        ]
        out["unknown_methods"] = [{"method": m, "count": n} for m, n in self.unknown_methods]
        out["notes"] = list(self.notes)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UsageSection:
        period = data["period"]
        return cls(
            project=str(data["project"]),
            start=parse_iso(period["start"]),
            end=parse_iso(period["end"]),
            as_of=parse_iso(period["as_of"]),
            timezone=str(period.get("timezone", "America/Los_Angeles")),
            figures={
                name: Figure.from_json(data[name], *names) for name, names in FIGURE_FIELDS.items()
            },
            buckets=tuple(
                BucketUsage(**{name: b.get(name) for name in _BUCKET_USAGE_FIELDS})
                for b in data.get("buckets", ())
            ),
            daily=tuple(
                (date.fromisoformat(d["date"]), d["egress_bytes"], d["other_egress_bytes"])
                for d in data.get("daily", ())
            ),
            unknown_methods=tuple(
                (str(m["method"]), m["count"]) for m in data.get("unknown_methods", ())
            ),
            notes=tuple(data.get("notes", ())),
        )


# --- links ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaleSuppression:
    """An inline suppression whose rules silenced nothing."""

    path: str
    line: int
    rules: tuple[str, ...]


@dataclass(frozen=True)
class BaselineUse:
    """What a baseline did in a run: how many findings it accepted, entries matching nothing."""

    path: str | None
    accepted: int
    stale: tuple[Mapping[str, Any], ...] = ()


@register_section
@dataclass(frozen=True)
class LinksSection:
    """What the link scan read and did."""

    files_scanned: int
    bytes_scanned: int
    links_checked: int
    files_skipped: int
    suppressed_inline: int
    as_of: datetime
    stale_suppressions: tuple[StaleSuppression, ...] = ()
    baseline: BaselineUse | None = None
    #: Files not read because of their type, by suffix, so "complete" never hides a folder.
    files_not_read_by_type: Mapping[str, int] = field(default_factory=dict)
    #: costwatch's own reports and baselines found in the tree and left alone.
    costwatch_outputs_skipped: tuple[str, ...] = ()
    key: ClassVar[str] = "links"

    @property
    def files_not_read(self) -> int:
        return sum(self.files_not_read_by_type.values())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "files_scanned": self.files_scanned,
            "bytes_scanned": self.bytes_scanned,
            "links_checked": self.links_checked,
            "files_skipped": self.files_skipped,
            "suppressed_inline": self.suppressed_inline,
            "stale_suppressions": [
                {"path": s.path, "line": s.line, "rules": list(s.rules)}
                for s in self.stale_suppressions
            ],
            "as_of": iso(self.as_of),
            "files_not_read": self.files_not_read,
            "files_not_read_by_type": dict(self.files_not_read_by_type),
            "costwatch_outputs_skipped": list(self.costwatch_outputs_skipped),
        }
        if self.baseline is not None:
            out["baseline"] = {
                "path": self.baseline.path,
                "accepted": self.baseline.accepted,
                "stale": [dict(e) for e in self.baseline.stale],
            }
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinksSection:
        baseline = data.get("baseline")
        return cls(
            files_scanned=int(data["files_scanned"]),
            bytes_scanned=int(data["bytes_scanned"]),
            links_checked=int(data["links_checked"]),
            files_skipped=int(data["files_skipped"]),
            suppressed_inline=int(data["suppressed_inline"]),
            as_of=parse_iso(data["as_of"]),
            stale_suppressions=tuple(
                StaleSuppression(str(s["path"]), int(s["line"]), tuple(s["rules"]))
                for s in data.get("stale_suppressions", ())
            ),
            baseline=None
            if baseline is None
            else BaselineUse(
                baseline.get("path"),
                int(baseline["accepted"]),
                tuple(baseline.get("stale", ())),
            ),
            files_not_read_by_type={
                str(k): int(v) for k, v in data.get("files_not_read_by_type", {}).items()
            },
            costwatch_outputs_skipped=tuple(
                str(p) for p in data.get("costwatch_outputs_skipped", ())
            ),
        )


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What a run found, what it could not check, and the typed sections it produced.

    ``as_of`` is the moment the run judged (usage month, signed-URL expiry); ``generated_at``
    is when it ran. ``project`` is the Google Cloud project, where the run had one.
    ``api_calls`` is what the run itself sent to Cloud Storage and Monitoring (None for a run
    that calls no API).
    """

    command: str
    generated_at: datetime
    findings: tuple[Finding, ...] = ()
    incomplete: tuple[Incomplete, ...] = ()
    buckets: tuple[BucketSummary, ...] = ()
    sections: tuple[Section, ...] = ()
    config_path: str | None = None
    config_lines: Mapping[str, int] = field(default_factory=dict)
    rules: tuple[str, ...] = ()
    version: str = __version__
    as_of: datetime | None = None
    project: str | None = None
    api_calls: ApiCalls | None = None

    def section(self, cls: type[SectionT]) -> SectionT | None:
        """The section of type ``cls``, if the run produced one."""
        for section in self.sections:
            if isinstance(section, cls):
                return section
        return None

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "note": 0}
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out

    def exit_code(self, fail_on: FailOn) -> int:
        """2 when anything could not be checked, 1 when a finding trips ``fail_on``, else 0."""
        if any(item.blocking for item in self.incomplete):
            return 2
        if any(fail_on.trips(f.severity) for f in self.findings):
            return 1
        return 0


def build_report(
    command: str,
    now: datetime,
    findings: Iterable[Finding] = (),
    incomplete: Iterable[Incomplete] = (),
    *,
    sections: Iterable[Section] = (),
    **fields: Any,
) -> Report:
    """The one way a report is assembled: findings sorted, sections in the order given."""
    return Report(
        command,
        now,
        tuple(sort_findings(list(findings))),
        tuple(incomplete),
        sections=tuple(sections),
        **fields,
    )


# --- JSON -------------------------------------------------------------------------------------


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """A finding as the JSON report writes it (the same shape wherever findings appear)."""
    out: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "resource": finding.resource,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
    }
    if finding.path is not None:
        out["path"] = finding.path
    if finding.line is not None:
        out["line"] = finding.line
    text = fix_text(finding)
    if text is not None:
        out["fix"] = {"kind": fix_kind(finding), "text": text}
    if finding.origin is not None and finding.origin.kind is not SourceKind.LIVE:
        origin: dict[str, Any] = {"kind": finding.origin.kind.value}
        if finding.origin.address:
            origin["address"] = finding.origin.address
        out["origin"] = origin
    return out


def finding_from_json(data: Mapping[str, Any]) -> Finding:
    """Read back what :func:`finding_to_json` wrote; the fix comes back as its text."""
    fix = data.get("fix")
    origin = data.get("origin")
    return Finding(
        rule_id=str(data["rule_id"]),
        severity=Severity(data["severity"]),
        resource=str(data["resource"]),
        message=str(data["message"]),
        path=data.get("path"),
        line=data.get("line"),
        fingerprint=str(data["fingerprint"]),
        fix=Fix(text=str(fix["text"]), written_as=str(fix.get("kind", "text")))
        if isinstance(fix, Mapping)
        else None,
        origin=Origin(
            SourceKind(origin["kind"]), data.get("path"), data.get("line"), origin.get("address")
        )
        if isinstance(origin, Mapping)
        else None,
    )


def incomplete_to_json(item: Incomplete) -> dict[str, Any]:
    return {
        "section": item.section,
        "resource": item.resource,
        "reason": item.reason,
        "blocking": item.blocking,
        "kind": item.kind.value,
    }


def report_to_json(
    report: Report, encode_findings: Callable[[Sequence[Finding]], Any] | None = None
) -> dict[str, Any]:
    """The report as a JSON-ready document (schema_version 1). Fields are added, never renamed.

    ``encode_findings`` turns the findings into the document's list; a writer may pass one
    that gives the entries already encoded, as long as they encode :func:`finding_to_json`'s.
    """
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "costwatch", "version": report.version},
        "command": report.command,
        "generated_at": iso(report.generated_at),
    }
    if report.as_of is not None:
        out["as_of"] = iso(report.as_of)
    if report.project is not None:
        out["project"] = report.project
    out["summary"] = report.counts()
    if encode_findings is None:
        out["findings"] = [finding_to_json(f) for f in report.findings]
    else:
        out["findings"] = encode_findings(report.findings)
    out["incomplete"] = [incomplete_to_json(i) for i in report.incomplete]
    out["buckets"] = [b.to_json() for b in report.buckets]
    if report.api_calls is not None:
        out["api_calls"] = report.api_calls.to_json()
    for section in report.sections:
        name = section.name if isinstance(section, RawSection) else section.key
        out[name] = section.to_json()
    return out


_CORE_KEYS = frozenset(
    {
        "schema_version",
        "tool",
        "command",
        "generated_at",
        "as_of",
        "project",
        "summary",
        "findings",
        "incomplete",
        "buckets",
        "api_calls",
    }
)


def report_from_json(data: Any) -> Report:
    """Read any schema_version 1 report back; :class:`ReportFormatError` if it is not one."""
    if not isinstance(data, Mapping):
        raise ReportFormatError("not a JSON object")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ReportFormatError(f"schema_version {version!r} is not {SCHEMA_VERSION}")
    tool = data.get("tool")
    if not isinstance(tool, Mapping) or tool.get("name") != "costwatch":
        raise ReportFormatError("not written by costwatch")
    try:
        sections: list[Section] = []
        for name, value in data.items():
            if name in _CORE_KEYS:
                continue
            cls = SECTION_TYPES.get(name)
            sections.append(cls.from_json(value) if cls else RawSection(name, value))
        as_of = data.get("as_of")
        return Report(
            command=str(data["command"]),
            generated_at=parse_iso(data["generated_at"]),
            findings=tuple(finding_from_json(f) for f in data.get("findings", ())),
            incomplete=tuple(
                Incomplete(
                    str(i["section"]),
                    str(i["resource"]),
                    str(i["reason"]),
                    bool(i.get("blocking", True)),
                    IncompleteKind(i.get("kind", IncompleteKind.UNAVAILABLE.value)),
                )
                for i in data.get("incomplete", ())
            ),
            buckets=tuple(BucketSummary.from_json(b) for b in data.get("buckets", ())),
            sections=tuple(sections),
            version=str(tool.get("version", "")),
            as_of=parse_iso(as_of) if as_of else None,
            project=data.get("project"),
            api_calls=ApiCalls.from_json(data["api_calls"]) if "api_calls" in data else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ReportFormatError(f"malformed report: {type(exc).__name__}: {exc}") from exc


def relative_uri(path: Path | None) -> str | None:
    """``path`` relative to the working folder with forward slashes, for SARIF and reports."""
    if path is None:
        return None
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()
