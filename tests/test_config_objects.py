"""The objects keys of the config: thresholds, the listing budget, capacity pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from costwatch.config import load_config
from costwatch.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "costwatch.toml"
    path.write_text(text)
    return path


def test_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert (config.max_list_ops, config.max_image_kib, config.hidden_bytes_percent) == (
        100,
        1024,
        20,
    )
    assert config.capacity_pages == {}


def test_values(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "max_list_ops = 300\nmax_image_kib = 512\nhidden_bytes_percent = 5\n"
            '[capacity.pages]\ngallery = ["src/data/artworks.json", "public/index.html"]\n',
        )
    )
    assert config.max_list_ops == 300 and config.max_image_kib == 512
    assert config.capacity_pages == {"gallery": ("src/data/artworks.json", "public/index.html")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max_list_ops = 0\n", "max_list_ops must be between 1"),
        ('max_image_kib = "big"\n', "max_image_kib must be a number"),
        ("[capacity.pages]\ngallery = 3\n", "gallery must be a list of strings"),
        ("[capacity]\npage = {}\n", "unknown key 'capacity.page'; did you mean 'capacity.pages'?"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("?", r"\?").replace("(", r"\(")):
        load_config(write(tmp_path, text))
