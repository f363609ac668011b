from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from costwatch.billing import PACIFIC, billing_period


@pytest.mark.parametrize(
    ("as_of", "start", "end"),
    [
        # November 2026: the month starts in daylight time (UTC-7), ends in standard (UTC-8).
        (
            datetime(2026, 11, 5, 12, tzinfo=UTC),
            datetime(2026, 11, 1, 7, tzinfo=UTC),
            datetime(2026, 12, 1, 8, tzinfo=UTC),
        ),
        # 06:59 UTC on Nov 1 is still October 31 in California.
        (
            datetime(2026, 11, 1, 6, 59, tzinfo=UTC),
            datetime(2026, 10, 1, 7, tzinfo=UTC),
            datetime(2026, 11, 1, 7, tzinfo=UTC),
        ),
        # March: starts in standard time (UTC-8), ends in daylight time (UTC-7).
        (
            datetime(2026, 3, 15, tzinfo=UTC),
            datetime(2026, 3, 1, 8, tzinfo=UTC),
            datetime(2026, 4, 1, 7, tzinfo=UTC),
        ),
        # December wraps to January.
        (
            datetime(2026, 12, 31, 23, tzinfo=UTC),
            datetime(2026, 12, 1, 8, tzinfo=UTC),
            datetime(2027, 1, 1, 8, tzinfo=UTC),
        ),
    ],
)
def test_month_is_pacific(as_of: datetime, start: datetime, end: datetime) -> None:
    period = billing_period(as_of)
    assert (period.start, period.end) == (start, end)
    assert period.start.astimezone(PACIFIC).hour == 0


def test_as_of_is_floored_to_the_hour() -> None:
    period = billing_period(datetime(2026, 11, 5, 12, 45, 10, tzinfo=UTC))
    assert period.as_of == datetime(2026, 11, 5, 12, tzinfo=UTC)


def test_default_as_of_leaves_an_ingestion_margin() -> None:
    period = billing_period()
    assert datetime.now(UTC) - period.as_of >= timedelta(minutes=10)


def test_days_and_pacific_day_of_an_hour() -> None:
    period = billing_period(datetime(2026, 11, 5, 12, tzinfo=UTC))
    days = period.days()
    assert days[0] == date(2026, 11, 1) and days[-1] == date(2026, 11, 30) and len(days) == 30
    # The hour ending 08:00 UTC on Nov 2 (00:00 PST) belongs to Nov 1.
    assert period.pacific_day(datetime(2026, 11, 2, 8, tzinfo=UTC)) == date(2026, 11, 1)
    assert period.length == timedelta(days=30, hours=1)
