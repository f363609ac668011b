"""The billing month: a calendar month in US Pacific time, daylight saving included.

Google bills on Pacific time ("All calendar times begin at 12 AM US and Canadian Pacific
Time", Budgets API); the free-tier page names no time zone, so costwatch uses Pacific and
says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")

#: Cloud Monitoring shows a sample up to about 4 minutes after it was taken.
INGESTION_MARGIN = timedelta(minutes=10)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class BillingPeriod:
    """A billing month (``start`` to ``end``) judged as of ``as_of``, all in UTC.

    ``as_of`` is a whole hour: Monitoring is queried in hourly periods, and Pacific day
    boundaries fall on whole UTC hours.
    """

    start: datetime
    end: datetime
    as_of: datetime

    @property
    def elapsed(self) -> timedelta:
        return self.as_of - self.start

    @property
    def remaining(self) -> timedelta:
        return self.end - self.as_of

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def pacific_day(self, moment: datetime) -> date:
        """The Pacific calendar day an hour ending at ``moment`` belongs to."""
        return (moment - timedelta(seconds=1)).astimezone(PACIFIC).date()

    def days(self) -> list[date]:
        first = self.start.astimezone(PACIFIC).date()
        last = self.pacific_day(self.end)
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def billing_period(as_of: datetime | None = None, *, now: datetime | None = None) -> BillingPeriod:
    """The billing month containing ``as_of`` (default: ``now`` less the ingestion margin)."""
    if as_of is not None:
        moment = as_of.astimezone(UTC)
    else:
        moment = (now or datetime.now(UTC)) - INGESTION_MARGIN
    moment = floor_hour(moment)
    local = moment.astimezone(PACIFIC)
    start_local = datetime(local.year, local.month, 1, tzinfo=PACIFIC)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    end_local = datetime(year, month, 1, tzinfo=PACIFIC)
    return BillingPeriod(start_local.astimezone(UTC), end_local.astimezone(UTC), moment)
