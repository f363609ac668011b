"""Configuration: ``[tool.costwatch]`` in pyproject.toml, else costwatch.toml, else defaults.

Every threshold a rule uses lives here with a dated default, so a price or allowance change is
a config edit, not a code change.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from costwatch.errors import ConfigError
from costwatch.findings import FailOn

#: When the Always Free figures and list prices below were last checked against Google's pages.
FIGURES_CHECKED = "2026-11"

#: The regions whose usage the Always Free tier covers (the one definition; rules, the usage
#: summary and the formats all read it from here).
FREE_REGION_ORDER = ("US-WEST1", "US-CENTRAL1", "US-EAST1")
FREE_REGIONS = frozenset(FREE_REGION_ORDER)


def free_region_names(regions: frozenset[str] = FREE_REGIONS) -> str:
    """``us-west1, us-central1, us-east1``: the free regions as people write them."""
    ordered = [r for r in FREE_REGION_ORDER if r in regions] + sorted(regions - FREE_REGIONS)
    return ", ".join(r.lower() for r in ordered)


_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,220}[a-z0-9]$")
#: Project IDs (``my-gallery-123``), domain-scoped IDs (``example.com:my-project``) and
#: project numbers: lowercase letters, digits, hyphens, dots and colons, nothing else.
_PROJECT = re.compile(r"^[a-z0-9][a-z0-9.:-]{0,99}$")
#: No allowance or price is larger; beyond it, GiB-to-byte products overflow to infinity.
_LARGEST = 1e12
_DUAL_REGION = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*(\+[A-Z0-9]+(-[A-Z0-9]+)*)?$")


@dataclass(frozen=True)
class Allowance:
    """Always Free allowances per billing account per calendar month (GB here means GiB)."""

    egress_gib: float = 100.0
    storage_gib_months: float = 5.0
    class_a_ops: int = 5_000
    class_b_ops: int = 50_000
    checked: str = FIGURES_CHECKED


@dataclass(frozen=True)
class Prices:
    """List prices in USD used to estimate what going over the allowance would cost."""

    storage_gib_month: float = 0.020
    class_a_per_1000: float = 0.005
    class_b_per_1000: float = 0.0004
    egress_gib: float = 0.12
    checked: str = FIGURES_CHECKED


@dataclass(frozen=True)
class BucketSettings:
    """Per-bucket intent: a bucket is meant to serve the public unless ``public = false``."""

    public: bool = True


@dataclass(frozen=True)
class LinkSettings:
    """How the link scan walks the site: exclusions, build output, file size limit."""

    exclude: tuple[str, ...] = ()
    include_build_output: bool = False
    max_file_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    """The whole configuration, validated."""

    project: str | None = None
    buckets: tuple[str, ...] = ()
    bucket_settings: Mapping[str, BucketSettings] = field(default_factory=dict)
    approved_dual_regions: tuple[str, ...] = ()
    site: tuple[Path, ...] = ()
    fail_on: FailOn = FailOn.ERROR
    warn_at_percent: float = 80.0
    api_timeout_seconds: float = 20.0
    api_retry_seconds: float = 30.0
    api_concurrency: int = 16
    api_max_pages: int = 100
    allowance: Allowance = field(default_factory=Allowance)
    prices: Prices = field(default_factory=Prices)
    links: LinkSettings = field(default_factory=LinkSettings)
    #: `objects`: most objects.list pages (Class A operations) one listing may spend.
    max_list_ops: int = 100
    max_image_kib: float = 1024.0
    hidden_bytes_percent: float = 20.0
    #: `[capacity.pages]`: page name -> the site files whose bucket links one view loads.
    capacity_pages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    reports_dir: Path | None = None
    report_keep_days: int | None = None
    source: Path | None = None
    #: Where the config names each bucket (``gs://NAME``) and the project (``projects/ID``):
    #: findings on a live resource point there in SARIF.
    source_lines: Mapping[str, int] = field(default_factory=dict)

    def settings_for(self, bucket: str) -> BucketSettings:
        return self.bucket_settings.get(bucket, BucketSettings())


_TOP_KEYS = (
    "project",
    "buckets",
    "bucket",
    "approved_dual_regions",
    "site",
    "fail_on",
    "warn_at_percent",
    "api_timeout_seconds",
    "api_retry_seconds",
    "api_concurrency",
    "api_max_pages",
    "allowance",
    "prices",
    "links",
    "max_list_ops",
    "max_image_kib",
    "hidden_bytes_percent",
    "capacity",
    "reports_dir",
    "report_keep_days",
)


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The config table and its file in ``start``: pyproject's section wins over costwatch.toml."""
    pyproject = start / "pyproject.toml"
    if _present(pyproject):
        section = _read_toml(pyproject).get("tool", {}).get("costwatch")
        if section is not None:
            return pyproject, _require_table(section, "[tool.costwatch]", pyproject)
    standalone = start / "costwatch.toml"
    if _present(standalone):
        return standalone, _read_toml(standalone)
    return None


def _present(path: Path) -> bool:
    """True for a regular file; an error for anything else by that name.

    A config that is a folder, a dangling link, a named pipe or a device is a mistake, not
    "no config": running on defaults would silently audit something other than asked.
    """
    if not os.path.lexists(path):
        return False
    if path.is_file():
        return True
    what = "a folder" if path.is_dir() else "not a regular file"
    if path.is_symlink() and not path.exists():
        what = "a link to nothing"
    raise ConfigError(f"config file {path} is {what}")


def load_config(path: Path | None = None, cwd: Path | None = None) -> Config:
    """Load ``path`` (``--config``), or discover the config in ``cwd``; defaults when none."""
    if path is not None:
        if not path.exists():
            raise ConfigError(f"config file {path} does not exist")
        if not path.is_file():
            raise ConfigError(f"config file {path} is not a file")
        data: Mapping[str, Any] = _read_toml(path)
        if path.name == "pyproject.toml":
            section = data.get("tool", {}).get("costwatch", {})
            data = _require_table(section, "[tool.costwatch]", path)
        return parse_config(data, path)
    found = find_config(cwd or Path.cwd())
    if found is None:
        return Config()
    return parse_config(found[1], found[0])


def parse_config(data: Mapping[str, Any], source: Path | None) -> Config:
    """Validate a config table; every problem is a :class:`ConfigError` naming the key."""
    where = str(source) if source else "config"
    _reject_unknown(data, _TOP_KEYS, where, "")
    base = source.parent if source else Path.cwd()
    buckets = tuple(_str_list(data, "buckets", where))
    for name in buckets:
        validate_bucket_name(name, where)
    project = _optional_str(data, "project", where)
    if project is not None:
        validate_project(project, f"{where}: project")
    fail_on_raw = data.get("fail_on", FailOn.ERROR.value)
    try:
        fail_on = FailOn(fail_on_raw)
    except ValueError:
        choices = ", ".join(f.value for f in FailOn)
        raise ConfigError(
            f"{where}: fail_on must be one of {choices}, not {fail_on_raw!r}"
        ) from None
    return Config(
        project=project,
        buckets=buckets,
        bucket_settings=_bucket_settings(data.get("bucket", {}), where),
        approved_dual_regions=tuple(
            _dual_region(code, where) for code in _str_list(data, "approved_dual_regions", where)
        ),
        site=_site_paths(_str_list(data, "site", where), base, where),
        fail_on=fail_on,
        warn_at_percent=_number(data, "warn_at_percent", 80.0, where, low=1, high=100),
        api_timeout_seconds=_number(data, "api_timeout_seconds", 20.0, where, low=0.1, high=600),
        api_retry_seconds=_number(data, "api_retry_seconds", 30.0, where, low=0, high=600),
        api_concurrency=_whole(data, "api_concurrency", 16, where, low=1, high=64),
        api_max_pages=_whole(data, "api_max_pages", 100, where, low=1, high=10_000),
        allowance=_dataclass_table(Allowance, data.get("allowance", {}), where, "allowance"),
        prices=_dataclass_table(Prices, data.get("prices", {}), where, "prices"),
        links=_link_settings(data.get("links", {}), where),
        max_list_ops=int(_number(data, "max_list_ops", 100, where, low=1, high=1_000_000)),
        max_image_kib=_number(data, "max_image_kib", 1024.0, where, low=1, high=10**7),
        hidden_bytes_percent=_number(data, "hidden_bytes_percent", 20.0, where, low=0, high=10**6),
        capacity_pages=_capacity_pages(data.get("capacity", {}), where),
        reports_dir=base / raw_dir
        if (raw_dir := _optional_str(data, "reports_dir", where))
        else None,
        report_keep_days=_keep_days(data.get("report_keep_days"), where),
        source=source,
        source_lines=_lines_naming(source, buckets, project),
    )


def validate_project(project: str, where: str = "--project") -> str:
    """A Google Cloud project ID or number, checked before it reaches a request or a report."""
    if not _PROJECT.match(project):
        shown = project.encode("unicode_escape").decode("ascii")
        raise ConfigError(
            f"{where}: {shown!r} is not a project ID (lowercase letters, digits, '-', and "
            "for domain-scoped projects '.' and ':')"
        )
    return project


def _site_paths(entries: list[str], base: Path, where: str) -> tuple[Path, ...]:
    """``site`` entries relative to the config's folder, which they must not leave.

    A shared config is read by everyone who runs costwatch in the repository: an entry that
    resolves outside the config's folder (``../..``, or a symlink to ``/``) would make every
    run read the user's home or the whole file system. A path named on the command line
    (``costwatch links PATH``) is the user's own choice and is not limited.
    """
    root = base.resolve()
    paths = []
    for entry in entries:
        if "\x00" in entry:
            raise ConfigError(f"{where}: site entry {entry!r} holds a NUL character")
        path = base / entry
        resolved = path.resolve()
        if resolved != root and root not in resolved.parents:
            shown = entry.encode("unicode_escape").decode("ascii")
            raise ConfigError(
                f"{where}: site entry {shown!r} is outside the project folder {root} "
                f"(it resolves to {resolved}); name it on the command line "
                "(costwatch links PATH) to scan it anyway"
            )
        paths.append(path)
    return tuple(paths)


def validate_bucket_name(name: str, where: str = "--bucket") -> str:
    """Cloud Storage's naming rules, checked before any request is made."""
    if name.startswith("gs://"):
        raise ConfigError(f"{where}: write the bucket name without gs:// ({name[5:]!r})")
    too_long = any(len(part) > 63 for part in name.split(".")) or (
        "." not in name and len(name) > 63
    )
    if not _BUCKET_NAME.match(name) or too_long or name.startswith("goog") or ".." in name:
        raise ConfigError(
            f"{where}: {name!r} is not a valid bucket name "
            "(3-63 lowercase letters, digits, '-', '_' or '.', starting and ending with a "
            "letter or digit)"
        )
    return name


def _lines_naming(
    source: Path | None, buckets: tuple[str, ...], project: str | None
) -> dict[str, int]:
    """The first line of ``source`` that names each bucket, and the project, in quotes."""
    if source is None:
        return {}
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    wanted = {f"gs://{b}": b for b in buckets}
    if project:
        wanted[f"projects/{project}"] = project
    found: dict[str, int] = {}
    for resource, name in wanted.items():
        quoted = (f'"{name}"', f"'{name}'")
        for number, line in enumerate(lines, start=1):
            if any(q in line for q in quoted):
                found[resource] = number
                break
    return found


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # here: commands that never read a config start faster

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from exc


def _require_table(value: Any, name: str, where: Path | str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: {name} must be a table")
    return value


def _reject_unknown(
    data: Mapping[str, Any], known: tuple[str, ...], where: str, prefix: str
) -> None:
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean '{prefix}{close[0]}'?" if close else ""
            valid = ", ".join(known)
            raise ConfigError(f"{where}: unknown key '{prefix}{key}'{hint} (valid: {valid})")


def _optional_str(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string")
    return value


def _str_list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return value


def _number(
    data: Mapping[str, Any], key: str, default: float, where: str, *, low: float, high: float
) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {key} must be a number")
    if not math.isfinite(value):
        raise ConfigError(f"{where}: {key} must be a finite number, not {value}")
    if not low <= value <= high:
        raise ConfigError(f"{where}: {key} must be between {low:g} and {high:g}, not {value}")
    return float(value)


def _whole(
    data: Mapping[str, Any], key: str, default: int, where: str, *, low: int, high: int
) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where}: {key} must be a whole number")
    if not low <= value <= high:
        raise ConfigError(f"{where}: {key} must be between {low} and {high}, not {value}")
    return value


def _dual_region(code: str, where: str) -> str:
    normal = "+".join(sorted(part.strip().upper() for part in code.split("+")))
    if not _DUAL_REGION.match(normal):
        raise ConfigError(
            f"{where}: approved_dual_regions entry {code!r} is neither a dual-region code "
            "(NAM4) nor a pair of regions (US-EAST1+US-WEST1)"
        )
    return normal


def _keep_days(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: report_keep_days must be a whole number of days, 1 or more")
    return value


def _link_settings(value: Any, where: str) -> LinkSettings:
    table = _require_table(value, "links", where)
    _reject_unknown(table, tuple(f.name for f in fields(LinkSettings)), where, "links.")
    include = table.get("include_build_output", False)
    if not isinstance(include, bool):
        raise ConfigError(f"{where}: links.include_build_output must be true or false")
    limit = table.get("max_file_bytes", LinkSettings.max_file_bytes)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ConfigError(f"{where}: links.max_file_bytes must be a positive whole number")
    return LinkSettings(tuple(_str_list(table, "exclude", where)), include, limit)


def _capacity_pages(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    table = _require_table(value, "capacity", where)
    _reject_unknown(table, ("pages",), where, "capacity.")
    pages = _require_table(table.get("pages", {}), "capacity.pages", where)
    return {name: tuple(_str_list(pages, name, f"{where}: capacity.pages")) for name in pages}


def _bucket_settings(value: Any, where: str) -> dict[str, BucketSettings]:
    table = _require_table(value, "bucket", where)
    settings: dict[str, BucketSettings] = {}
    for name, body in table.items():
        validate_bucket_name(name, f"{where}: [bucket.{name}]")
        body = _require_table(body, f"bucket.{name}", where)
        settings[name] = _dataclass_table(BucketSettings, body, where, f"bucket.{name}")
    return settings


def _dataclass_table(cls: type[Any], value: Any, where: str, name: str) -> Any:
    table = _require_table(value, name, where)
    known = tuple(f.name for f in fields(cls))
    _reject_unknown(table, known, where, f"{name}.")
    defaults = cls()
    for key, raw in table.items():
        expected = type(getattr(defaults, key))
        ok = isinstance(raw, expected) or (
            expected is float and isinstance(raw, int) and not isinstance(raw, bool)
        )
        if not ok or (expected is not bool and isinstance(raw, bool)):
            raise ConfigError(f"{where}: {name}.{key} must be a {expected.__name__}")
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if not math.isfinite(raw):
                raise ConfigError(f"{where}: {name}.{key} must be a finite number, not {raw}")
            if raw < 0:
                raise ConfigError(f"{where}: {name}.{key} must not be negative")
            if raw > _LARGEST:
                raise ConfigError(f"{where}: {name}.{key} must be at most {_LARGEST:g}")
    converted = {
        k: float(v) if isinstance(getattr(defaults, k), float) else v for k, v in table.items()
    }
    return cls(**converted)
