"""This month's usage against the Always Free allowance, with a month-end forecast. Pure.

Forecast method (egress and operations): the projected pace is the higher of the
month-to-date average hourly pace and the pace of the last 24 hours; the forecast is what was
used so far plus that pace over the hours left in the month. A post that goes viral shows in the
forecast and in the crossing date within a day, while a quiet day never lowers the forecast
below the month's own average. Storage: GiB-months used so far (each sample of the daily gauge
held until the next), plus the latest level held until the month ends.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from costwatch.billing import HOUR, BillingPeriod
from costwatch.config import FREE_REGIONS, Allowance, Prices, free_region_names
from costwatch.model import (
    BucketUsage,
    IncompleteKind,
    MetricResult,
    Resource,
    Series,
    UsageReading,
    UsageSummary,
)
from costwatch.report import Figure, UsageSection
from costwatch.units import GIB, iso

RECENT = timedelta(hours=24)
_FREE_REGION_NAMES = free_region_names()

#: Operation classes by the `method` label of api/request_count (pricing page, "Operations
#: that fall into each class"). A method in neither table is reported, never guessed.
CLASS_A_METHODS = frozenset(
    {
        "WriteObject", "InsertObject", "StartResumableWrite", "BidiWriteObject",
        "AppendObject", "ComposeObject", "CopyObject", "RewriteObject", "MoveObject",
        "RestoreObject", "UpdateObject", "PatchObject", "UpdateObjectMetadata",
        "ListObjects", "ListBuckets", "CreateBucket", "InsertBucket", "UpdateBucket",
        "PatchBucket", "UpdateBucketMetadata", "SetIamPolicy", "LockBucketRetentionPolicy",
        "CreateNotification", "CreateNotificationConfig", "ListNotifications",
        "ListNotificationConfigs", "CreateHmacKey", "ListHmacKeys", "UpdateHmacKey",
        "CreateFolder", "ListFolders", "RenameFolder", "CreateManagedFolder",
        "ListManagedFolders",
    }
)  # fmt: skip
CLASS_B_METHODS = frozenset(
    {
        "ReadObject", "BidiReadObject", "GetObject", "GetObjectMetadata", "ReadObjectMetadata",
        "GetBucket", "GetBucketMetadata", "GetIamPolicy", "TestIamPermissions",
        "GetNotification", "GetNotificationConfig", "GetHmacKey", "GetServiceAccount",
        "GetFolder", "GetManagedFolder",
    }
)  # fmt: skip
FREE_METHODS = frozenset(
    {
        "DeleteObject", "DeleteBucket", "DeleteNotification", "DeleteNotificationConfig",
        "DeleteHmacKey", "DeleteFolder", "DeleteManagedFolder", "CancelResumableWrite",
    }
)  # fmt: skip


def is_free_location(location: str, free_regions: frozenset[str] = FREE_REGIONS) -> bool:
    return location.upper() in free_regions


def pace_forecast(
    hourly: Mapping[datetime, float], period: BillingPeriod, allowance: float
) -> tuple[float, float, datetime | None]:
    """(used, month-end forecast, crossing time) for a counter summed per hour."""
    used = sum(hourly.values())
    elapsed_hours = period.elapsed / HOUR
    if elapsed_hours <= 0:
        return used, used, None
    month_pace = used / elapsed_hours
    window = min(RECENT, period.elapsed)
    recent = sum(v for end, v in hourly.items() if end > period.as_of - window)
    pace = max(month_pace, recent / (window / HOUR))
    forecast = used + pace * (period.remaining / HOUR)
    crossing: datetime | None = None
    if over(used, allowance):
        running = 0.0
        for end in sorted(hourly):
            running += hourly[end]
            if over(running, allowance):
                crossing = end
                break
    elif pace > 0 and over(forecast, allowance):
        crossing = period.as_of + HOUR * ((allowance - used) / pace)
    return used, forecast, crossing


def over(amount: float, allowance: float) -> bool:
    """Whether ``amount`` uses up ``allowance``; with an allowance of 0, any use at all does.

    An allowance of 0 is natural (another project on the billing account already uses it):
    it means everything is billed, not that the limit is switched off.
    """
    return amount > 0 if allowance == 0 else amount >= allowance


def storage_forecast(
    levels: Iterable[Series], period: BillingPeriod, allowance_gib_months: float
) -> tuple[float, float, datetime | None, float]:
    """(GiB-months used, forecast, crossing, current bytes) for gauge series of bytes."""
    month_seconds = period.length.total_seconds()
    byte_seconds = 0.0
    current = 0.0
    for series in levels:
        seconds, level = _integrate(series, period)
        byte_seconds += seconds
        current += level
    used = byte_seconds / GIB / month_seconds
    forecast = used + current * period.remaining.total_seconds() / GIB / month_seconds
    crossing: datetime | None = None
    crosses = not over(used, allowance_gib_months) and over(forecast, allowance_gib_months)
    if crosses and current > 0:
        seconds_left = (allowance_gib_months - used) * GIB * month_seconds / current
        crossing = period.as_of + timedelta(seconds=seconds_left)
    return used, forecast, crossing, current


def _integrate(series: Series, period: BillingPeriod) -> tuple[float, float]:
    """Byte-seconds of one gauge series over the elapsed month, and its latest level."""
    points = [p for p in series.points if p.end <= period.as_of]
    if not points:
        return 0.0, 0.0
    total = 0.0
    for index, point in enumerate(points):
        begin = max(point.end, period.start)
        finish = points[index + 1].end if index + 1 < len(points) else period.as_of
        finish = min(max(finish, period.start), period.as_of)
        if finish > begin:
            total += point.value * (finish - begin).total_seconds()
    return total, points[-1].value


def _hourly(series: Iterable[Series], period: BillingPeriod) -> dict[datetime, float]:
    hours: dict[datetime, float] = defaultdict(float)
    for s in series:
        for point in s.points:
            if period.start < point.end <= period.as_of:
                hours[point.end] += point.value
    return hours


def _first_non_finite(series: Series, period: BillingPeriod) -> str | None:
    """Why ``series`` cannot be summed: its first point this month that is NaN, infinite or
    negative (bytes and operations never are).

    Monitoring can return such points; summed, one NaN makes the whole figure NaN, which is
    neither a number to judge nor valid JSON. The figure becomes unknown instead.
    """
    for point in series.points:
        if point.end <= period.as_of and not (math.isfinite(point.value) and point.value >= 0):
            kind = "non-finite" if not math.isfinite(point.value) else "negative"
            where = f"gs://{series.bucket}" + (f" {series.label}" if series.label else "")
            return (
                f"Monitoring returned a {kind} value ({point.value}) for {where} "
                f"at {iso(point.end)}"
            )
    return None


def _non_finite(reading: UsageReading) -> dict[str, str]:
    """Resource name -> why it cannot be summed, for resources with a non-finite point."""
    period = reading.period
    bad: dict[str, str] = {}

    def mark(name: str, series: Iterable[Series]) -> None:
        for s in series:
            reason = _first_non_finite(s, period)
            if reason is not None:
                bad.setdefault(name, reason)
                return

    requests = reading.requests.series or ()
    mark("egress", reading.egress.series or ())
    mark("class_a_ops", [s for s in requests if s.label in CLASS_A_METHODS])
    mark("class_b_ops", [s for s in requests if s.label in CLASS_B_METHODS])
    mark("storage", reading.storage.series or ())
    return bad


def _finite_or_unknown(resource: Resource) -> Resource:
    """``resource``, or unknown if a sum overflowed (only absurd inputs get here)."""
    values = (resource.used, resource.forecast, resource.overage_usd)
    if all(v is None or math.isfinite(v) for v in values):
        return resource
    return Resource(
        resource.name,
        resource.unit,
        resource.allowance,
        unknown="the sum is too large to represent",
        unknown_kind=IncompleteKind.UNKNOWN_VALUE,
    )


def _unknown(name: str, unit: str, allowance: float, result: MetricResult) -> Resource:
    return Resource(
        name, unit, allowance, unknown=result.error or "not read", unknown_kind=result.error_kind
    )


def summarize(
    reading: UsageReading,
    allowance: Allowance,
    prices: Prices,
    known_buckets: Mapping[str, str] | None = None,
) -> UsageSummary:
    """Turn what Monitoring returned into the usage section.

    ``known_buckets`` maps bucket names the caller knows (config, audit) to their location,
    so a bucket Monitoring has no series for is listed as having no data.
    """
    period = reading.period
    egress_series = reading.egress.series or ()
    request_series = reading.requests.series or ()
    storage_series = reading.storage.series or ()
    non_finite = _non_finite(reading)

    def free(series: Iterable[Series]) -> list[Series]:
        return [s for s in series if is_free_location(s.location)]

    checked = f"list price as of {prices.checked}"

    def counter(
        name: str,
        unit: str,
        result: MetricResult,
        chosen: list[Series],
        limit: float,
        price: float,
        per: float,
        price_note: str,
    ) -> Resource:
        """A resource counted per hour: used, forecast, crossing, overage at ``price``/``per``."""
        if result.series is None:
            return _unknown(name, unit, limit, result)
        if name in non_finite:
            return Resource(
                name, unit, limit, unknown=non_finite[name],
                unknown_kind=IncompleteKind.UNKNOWN_VALUE,
            )  # fmt: skip
        used, forecast, crossing = pace_forecast(_hourly(chosen, period), period, limit)
        overage = max(0.0, forecast - limit) / per * price
        return _finite_or_unknown(
            Resource(
                name, unit, limit, used, forecast, crossing, overage, f"{price_note}, {checked}"
            )
        )

    requests = free(request_series)
    resources = {
        "egress": counter(
            "egress", "bytes", reading.egress, free(egress_series), allowance.egress_gib * GIB,
            prices.egress_gib, GIB, f"${prices.egress_gib:g}/GiB",
        ),
        "class_a_ops": counter(
            "class_a_ops", "operations", reading.requests,
            [s for s in requests if s.label in CLASS_A_METHODS], allowance.class_a_ops,
            prices.class_a_per_1000, 1000, f"${prices.class_a_per_1000:g} per 1,000",
        ),
        "class_b_ops": counter(
            "class_b_ops", "operations", reading.requests,
            [s for s in requests if s.label in CLASS_B_METHODS], allowance.class_b_ops,
            prices.class_b_per_1000, 1000, f"${prices.class_b_per_1000:g} per 1,000",
        ),
    }  # fmt: skip
    unknown_methods: dict[str, float] = defaultdict(float)
    unsummed: list[str] = []
    known_methods = CLASS_A_METHODS | CLASS_B_METHODS | FREE_METHODS
    for s in request_series:
        if s.label not in known_methods:
            if _first_non_finite(s, period) is not None:
                unsummed.append(s.label or "(no method label)")
                continue
            unknown_methods[s.label or "(no method label)"] += sum(
                p.value for p in s.points if period.start < p.end <= period.as_of
            )

    limit_gib_months = allowance.storage_gib_months
    if reading.storage.series is None:
        resources["storage"] = _unknown("storage", "GiB-months", limit_gib_months, reading.storage)
    elif "storage" in non_finite:
        resources["storage"] = Resource(
            "storage", "GiB-months", limit_gib_months, unknown=non_finite["storage"],
            unknown_kind=IncompleteKind.UNKNOWN_VALUE,
        )  # fmt: skip
    else:
        standard = [s for s in free(storage_series) if s.label.endswith("/STANDARD")]
        used, forecast, crossing, _ = storage_forecast(standard, period, limit_gib_months)
        storage_overage = max(0.0, forecast - limit_gib_months) * prices.storage_gib_month
        note = f"${prices.storage_gib_month:g}/GiB-month, {checked}"
        resources["storage"] = _finite_or_unknown(
            Resource(
                "storage",
                "GiB-months",
                limit_gib_months,
                used,
                forecast,
                crossing,
                storage_overage,
                note,
            )
        )

    return UsageSummary(
        project=reading.project,
        period=period,
        resources=resources,
        buckets=_buckets(reading, known_buckets or {}),
        daily=_daily(egress_series, period)
        if reading.egress.series is not None and resources["egress"].unknown is None
        else (),
        unknown_methods=tuple(
            (label, count)
            for label, count in sorted(unknown_methods.items())
            if math.isfinite(count)
        ),
        notes=(
            *(
                f"Operations of unknown class {label!r}: Monitoring returned non-finite "
                "values; their count is unknown."
                for label in sorted(set(unsummed))
            ),
            "The allowance belongs to the billing account: other projects on the same billing "
            "account share it too, so these figures are a lower bound on what is used.",
            "Egress counts every byte a bucket sent (sent_bytes_count), including to Google "
            "services in the same region and to China and Australia, which the allowance "
            "excludes: it is an upper bound on billable internet egress.",
            f"Only free-region ({_FREE_REGION_NAMES}) buckets use the allowance; "
            "others are billed from the first byte. Storage counts STANDARD class only.",
        ),
    )


def _buckets(reading: UsageReading, known: Mapping[str, str]) -> tuple[BucketUsage, ...]:
    """Per-bucket figures; None where a metric has no series for the bucket (no data) or a
    series holds a non-finite point (unknown); ``free_region`` None where the location is not
    known (never guessed as billable)."""
    period = reading.period
    location: dict[str, str] = {name: loc.lower() for name, loc in known.items() if loc}
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    seen: dict[str, set[str]] = {"egress": set(), "requests": set(), "storage": set()}
    unsummable: set[tuple[str, str]] = set()

    def summable(series: Series, key: str) -> bool:
        if _first_non_finite(series, period) is None:
            return True
        unsummable.add((series.bucket, key))
        return False

    def in_month(series: Series) -> float:
        return sum(p.value for p in series.points if period.start < p.end <= period.as_of)

    for s in reading.egress.series or ():
        seen["egress"].add(s.bucket)
        location.setdefault(s.bucket, s.location)
        if summable(s, "egress"):
            totals[s.bucket]["egress"] += in_month(s)
    for s in reading.requests.series or ():
        seen["requests"].add(s.bucket)
        location.setdefault(s.bucket, s.location)
        if s.label in CLASS_A_METHODS and summable(s, "class_a"):
            totals[s.bucket]["class_a"] += in_month(s)
        elif s.label in CLASS_B_METHODS and summable(s, "class_b"):
            totals[s.bucket]["class_b"] += in_month(s)
    for s in reading.storage.series or ():
        seen["storage"].add(s.bucket)
        location.setdefault(s.bucket, s.location)
        if summable(s, "storage_bytes") and summable(s, "gib_months"):
            byte_seconds, level = _integrate(s, period)
            totals[s.bucket]["storage_bytes"] += level
            totals[s.bucket]["gib_months"] += byte_seconds / GIB / period.length.total_seconds()

    def value(name: str, key: str, metric: str) -> float | None:
        if name not in seen[metric] or (name, key) in unsummable:
            return None
        total = totals[name].get(key, 0.0)
        return total if math.isfinite(total) else None

    everyone = set().union(*seen.values())
    return tuple(
        BucketUsage(
            name=name,
            location=location.get(name, ""),
            free_region=is_free_location(location[name]) if location.get(name) else None,
            has_data=name in everyone,
            egress_bytes=value(name, "egress", "egress"),
            class_a_ops=value(name, "class_a", "requests"),
            class_b_ops=value(name, "class_b", "requests"),
            storage_bytes=value(name, "storage_bytes", "storage"),
            storage_gib_months=value(name, "gib_months", "storage"),
        )
        for name in sorted(set(known) | set(location) | everyone)
    )


def _daily(
    series: Iterable[Series], period: BillingPeriod
) -> tuple[tuple[date, float, float], ...]:
    """(Pacific day, free-region egress bytes, other egress bytes) for every day so far."""
    free_by_day: dict[date, float] = defaultdict(float)
    other_by_day: dict[date, float] = defaultdict(float)
    for s in series:
        target = free_by_day if is_free_location(s.location) else other_by_day
        for point in s.points:
            if period.start < point.end <= period.as_of:
                target[period.pacific_day(point.end)] += point.value
    last = period.pacific_day(period.as_of) if period.as_of > period.start else None
    days = [d for d in period.days() if last is not None and d <= last]
    rows = tuple((d, free_by_day.get(d, 0.0), other_by_day.get(d, 0.0)) for d in days)
    # A day whose sum overflowed cannot be drawn or written; the chart is left out instead.
    return rows if all(math.isfinite(f) and math.isfinite(o) for _, f, o in rows) else ()


def usage_section(summary: UsageSummary) -> UsageSection:
    """The typed ``usage`` section of a report."""
    period = summary.period
    return UsageSection(
        project=summary.project,
        start=period.start,
        end=period.end,
        as_of=period.as_of,
        figures={
            name: Figure(
                r.used, r.forecast, r.allowance, r.crossing, r.overage_usd, r.unknown or None
            )
            for name, r in summary.resources.items()
        },
        buckets=summary.buckets,
        daily=summary.daily,
        unknown_methods=summary.unknown_methods,
        notes=summary.notes,
    )
