"""Any config table is either a valid config or one ConfigError: never another exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from costwatch.config import _TOP_KEYS, Config, parse_config
from costwatch.errors import ConfigError

scalars = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
keys = st.sampled_from(_TOP_KEYS) | st.text(max_size=8)
tables = st.dictionaries(keys, values, max_size=5)
nested = st.fixed_dictionaries(
    {},
    optional={
        "allowance": st.dictionaries(
            st.sampled_from(["egress_gib", "storage_gib_months", "class_a_ops", "class_b_ops"]),
            scalars,
        ),
        "prices": st.dictionaries(st.sampled_from(["egress_gib", "class_a_per_1000"]), scalars),
        "links": st.dictionaries(
            st.sampled_from(["exclude", "include_build_output", "max_file_bytes"]), values
        ),
        "site": st.lists(st.text(max_size=10), max_size=3),
        "project": st.text(max_size=12),
        "warn_at_percent": scalars,
    },
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(tables, nested))
def test_any_table_is_a_config_or_one_config_error(table: dict[str, object]) -> None:
    try:
        config = parse_config(table, Path("costwatch.toml").absolute())
    except ConfigError:
        return  # shown as one line by the command line (control characters escaped)
    assert isinstance(config, Config)
    for number in (
        config.warn_at_percent,
        config.allowance.egress_gib,
        config.allowance.storage_gib_months,
        config.prices.egress_gib,
    ):
        assert number == number and abs(number) != float("inf")
