"""Units and the one way costwatch writes a moment in time."""

from __future__ import annotations

from datetime import UTC, datetime

GIB = 1024**3


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: ``2026-11-20T20:00:00Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def parse_iso(value: str) -> datetime:
    """Read back what :func:`iso` wrote (any ISO 8601 with an offset; naive means UTC)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
