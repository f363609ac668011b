from __future__ import annotations

from pathlib import Path

import pytest

from costwatch.config import Allowance, load_config, validate_bucket_name
from costwatch.errors import ConfigError
from costwatch.findings import FailOn


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_means_defaults(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    assert config.buckets == ()
    assert config.allowance == Allowance()
    assert config.allowance.egress_gib == 100
    assert config.allowance.checked == "2026-11"
    assert config.fail_on is FailOn.ERROR


def test_pyproject_without_section_means_defaults(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "site"\n')
    assert load_config(cwd=tmp_path).buckets == ()


def test_pyproject_section_wins_over_costwatch_toml(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.costwatch]\nbuckets = ["from-pyproject"]\n')
    write(tmp_path, "costwatch.toml", 'buckets = ["from-standalone"]\n')
    assert load_config(cwd=tmp_path).buckets == ("from-pyproject",)


def test_costwatch_toml_full(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "costwatch.toml",
        """
project = "gallery-123"
buckets = ["gallery-images", "backups.example.com"]
approved_dual_regions = ["nam4", "us-west1+US-EAST1"]
site = ["public", "src"]
fail_on = "warning"

[bucket."backups.example.com"]
public = false

[allowance]
egress_gib = 1
class_b_ops = 60000
checked = "2022-01"
""",
    )
    config = load_config(cwd=tmp_path)
    assert config.source == path
    assert config.project == "gallery-123"
    assert config.approved_dual_regions == ("NAM4", "US-EAST1+US-WEST1")
    assert config.site == (tmp_path / "public", tmp_path / "src")
    assert config.fail_on is FailOn.WARNING
    assert config.settings_for("backups.example.com").public is False
    assert config.settings_for("gallery-images").public is True
    assert config.allowance.egress_gib == 1.0
    assert config.allowance.class_b_ops == 60000
    assert config.allowance.checked == "2022-01"


def test_explicit_path_pyproject(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", '[tool.costwatch]\nproject = "x"\n')
    assert load_config(path).project == "x"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('buckets = ["a-b"\n', "malformed TOML"),
        ('buckets = ["ok-b"]\nbucket = 3\n', "bucket must be a table"),
        ('bukets = ["a-b"]\n', "unknown key 'bukets'; did you mean 'buckets'?"),
        ('buckets = ["a-b"]\n[allowance]\negress_gb = 1\n', "did you mean 'allowance.egress_gib'"),
        ('buckets = ["Bad_Name"]\n', "not a valid bucket name"),
        ('buckets = ["gs://x-y"]\n', "without gs://"),
        ('buckets = "one-b"\nfail_on = "sometimes"\n', "fail_on must be one of"),
        ("warn_at_percent = 150\n", "between 1 and 100"),
        ('[allowance]\negress_gib = "lots"\n', "allowance.egress_gib must be a float"),
        ("[allowance]\nclass_a_ops = -5\n", "must not be negative"),
        ('approved_dual_regions = ["nam 4"]\n', "neither a dual-region code"),
        ("[bucket.x-y]\npublik = false\n", "did you mean 'bucket.x-y.public'"),
        ("[bucket.x-y]\npublic = 1\n", "bucket.x-y.public must be a bool"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, "costwatch.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(cwd=tmp_path)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, "costwatch.toml", 'project = "p"\nbuckets = [\n  "a-b",\n  oops\n]\n')
    with pytest.raises(ConfigError, match="line 4"):
        load_config(cwd=tmp_path)


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize("name", ["abc", "my-bucket_1", "a.b.example.com", "a" * 63])
def test_valid_bucket_names(name: str) -> None:
    assert validate_bucket_name(name) == name


@pytest.mark.parametrize(
    "name", ["ab", "-abc", "abc-", "ABC", "goog-x", "a..b", "a" * 64, "has space", ""]
)
def test_invalid_bucket_names(name: str) -> None:
    with pytest.raises(ConfigError):
        validate_bucket_name(name)


def test_source_lines_name_buckets_and_project(tmp_path: Path) -> None:
    write(
        tmp_path,
        "costwatch.toml",
        'project = "gal-1"\n\nbuckets = [\n  "one-b",\n  \'two-b\',\n]\n',
    )
    config = load_config(cwd=tmp_path)
    assert config.source_lines == {"gs://one-b": 4, "gs://two-b": 5, "projects/gal-1": 1}


def test_config_path_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a file"):
        load_config(tmp_path)
