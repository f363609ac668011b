"""The forecast: pace, spike reaction and crossing dates, on hand-made hourly series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costwatch.billing import HOUR, billing_period
from costwatch.checks.forecast import CLASS_A_METHODS, CLASS_B_METHODS, FREE_METHODS, pace_forecast

PERIOD = billing_period(datetime(2026, 11, 21, 7, tzinfo=UTC))  # 20 days of a 30-day month in


def hours(rate: float, spike_hours: int = 0, spike_rate: float = 0.0) -> dict[datetime, float]:
    count = int(PERIOD.elapsed / HOUR)
    out = {}
    for n in range(1, count + 1):
        end = PERIOD.start + HOUR * n
        out[end] = spike_rate if n > count - spike_hours else rate
    return out


def test_steady_use_projects_linearly() -> None:
    used, forecast, crossing = pace_forecast(hours(1.0), PERIOD, allowance=10_000)
    elapsed = PERIOD.elapsed / HOUR
    assert used == elapsed
    assert forecast == pytest.approx(PERIOD.length / HOUR)
    assert crossing is None


def test_spike_shows_within_a_day() -> None:
    calm = pace_forecast(hours(1.0), PERIOD, allowance=1000)
    viral = pace_forecast(hours(1.0, spike_hours=12, spike_rate=20.0), PERIOD, allowance=1000)
    assert calm[2] is None
    assert viral[1] > 1000 > calm[1]
    # the recent pace (12 h at 20 + 12 h at 1 over 24 h = 10.5/h) drives the forecast
    remaining = PERIOD.remaining / HOUR
    assert viral[1] == pytest.approx(viral[0] + 10.5 * remaining)
    assert viral[2] is not None and PERIOD.as_of < viral[2] < PERIOD.end


def test_quiet_day_never_lowers_the_forecast_below_the_month_pace() -> None:
    quiet = hours(2.0, spike_hours=24, spike_rate=0.0)
    used, forecast, _ = pace_forecast(quiet, PERIOD, allowance=10_000)
    month_pace = used / (PERIOD.elapsed / HOUR)
    assert forecast == pytest.approx(used + month_pace * (PERIOD.remaining / HOUR))


def test_crossing_in_the_past_is_the_hour_the_total_passed() -> None:
    used, _, crossing = pace_forecast(hours(10.0), PERIOD, allowance=100)
    assert used >= 100
    assert crossing == PERIOD.start + HOUR * 10


def test_crossing_date_in_the_future() -> None:
    used, _, crossing = pace_forecast(hours(1.0), PERIOD, allowance=600)
    assert crossing == PERIOD.as_of + HOUR * ((600 - used) / 1.0)


def test_no_time_elapsed() -> None:
    period = billing_period(datetime(2026, 11, 1, 7, tzinfo=UTC))
    assert pace_forecast({}, period, 100) == (0, 0, None)


def test_method_tables_do_not_overlap() -> None:
    assert not CLASS_A_METHODS & CLASS_B_METHODS
    assert not (CLASS_A_METHODS | CLASS_B_METHODS) & FREE_METHODS
    assert {"WriteObject", "ListObjects"} <= CLASS_A_METHODS
    assert {"ReadObject", "GetObjectMetadata"} <= CLASS_B_METHODS


@given(st.lists(st.floats(min_value=0, max_value=1e12), min_size=0, max_size=480))
def test_forecast_is_never_below_use(values: list[float]) -> None:
    series = {PERIOD.start + HOUR * (n + 1): v for n, v in enumerate(values)}
    used, forecast, crossing = pace_forecast(series, PERIOD, allowance=1e9)
    assert forecast >= used - 1e-6 * max(1.0, used)
    if crossing is not None:
        assert PERIOD.start < crossing
        assert used >= 1e9 or crossing >= PERIOD.as_of - timedelta(seconds=1)
