"""The config keys that bound API work: concurrency and the page cap."""

from __future__ import annotations

from pathlib import Path

import pytest

from costwatch.config import load_config
from costwatch.errors import ConfigError


def test_defaults(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    assert config.api_concurrency == 16
    assert config.api_max_pages == 100


def test_set(tmp_path: Path) -> None:
    (tmp_path / "costwatch.toml").write_text("api_concurrency = 4\napi_max_pages = 7\n")
    config = load_config(cwd=tmp_path)
    assert (config.api_concurrency, config.api_max_pages) == (4, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("api_concurrency = 0\n", "api_concurrency must be between 1 and 64, not 0"),
        ("api_concurrency = 65\n", "between 1 and 64"),
        ("api_concurrency = 2.5\n", "api_concurrency must be a whole number"),
        ("api_concurrency = true\n", "must be a whole number"),
        ('api_max_pages = "many"\n', "api_max_pages must be a whole number"),
        ("api_max_pages = 0\n", "api_max_pages must be between 1 and 10000"),
    ],
)
def test_bad_values_are_one_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "costwatch.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(cwd=tmp_path)
    assert expected in str(info.value)
