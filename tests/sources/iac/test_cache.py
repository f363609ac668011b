"""The parsed-Terraform cache saves time and never changes a result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costwatch.sources.iac import cache
from costwatch.sources.iac.hcl import parse_files

TF = 'resource "google_storage_bucket" "b" {\n  name = "g"\n  location = "US"\n}\n'


def test_a_second_read_comes_from_the_cache(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF)
    first = parse_files([tmp_path / "main.tf"], tmp_path)
    stored = json.loads(Path(str(cache.cache_file())).read_text())
    assert stored["schema_version"] == 1 and len(stored["entries"]) == 1
    second = parse_files([tmp_path / "main.tf"], tmp_path)
    assert first == second


def test_an_edit_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(TF)
    parse_files([path], tmp_path)
    path.write_text(TF.replace('"US"', '"EU"'))
    (blocks,) = parse_files([path], tmp_path).values()
    assert isinstance(blocks, list) and blocks[0].body["location"] == '"EU"'


@pytest.mark.parametrize(
    "content",
    ["not json", '{"schema_version": 0, "entries": {}}', '{"schema_version": 1, "parser": "x"}'],
)
def test_unusable_cache_files_are_ignored(tmp_path: Path, content: str) -> None:
    where = cache.cache_file()
    assert where is not None
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text(content)
    (tmp_path / "main.tf").write_text(TF)
    (blocks,) = parse_files([tmp_path / "main.tf"], tmp_path).values()
    assert isinstance(blocks, list) and blocks[0].labels == ("google_storage_bucket", "b")


def test_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSTWATCH_NO_CACHE", "1")
    assert cache.cache_file() is None


def test_many_files_parsed_in_workers_match_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costwatch.sources.iac.hcl import PARALLEL_MIN_FILES, parse_file

    monkeypatch.setenv("COSTWATCH_NO_CACHE", "1")
    paths = []
    for n in range(PARALLEL_MIN_FILES + 5):
        path = tmp_path / f"f{n}.tf"
        path.write_text(TF.replace('"g"', f'"g{n}"') if n % 7 else "resource {\n")
        paths.append(path)
    together = parse_files(paths, tmp_path)
    assert together == {p.resolve(): parse_file(p.resolve(), p.name) for p in paths}
