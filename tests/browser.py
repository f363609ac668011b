"""Headless Chromium for page tests: a screenshot and the console messages of one page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

_CONSOLE = re.compile(r":(?:INFO|WARNING|ERROR):CONSOLE[^\]]*\] (.*)")


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


#: Skipped where no Chromium is installed, except under CI, which .ci/run gives one.
needs_chromium = pytest.mark.skipif(
    chromium() is None and not os.environ.get("CI"), reason="no chromium installed"
)


@dataclass(frozen=True)
class Rendered:
    screenshot: Path
    console: list[str]
    log: str


def render(
    page: Path, out: Path, *, width: int = 1100, height: int = 1600, dark: bool = False
) -> Rendered:
    """Open ``page`` in headless Chromium, save a screenshot, return its console messages."""
    binary = chromium()
    assert binary is not None
    out.parent.mkdir(parents=True, exist_ok=True)
    args = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={out.parent / ('profile-' + out.stem)}",
        "--enable-logging=stderr",
        "--v=0",
        f"--window-size={width},{height}",
        f"--screenshot={out}",
    ]
    if dark:
        args.append("--force-dark-mode")
    args.append(page.absolute().as_uri())
    result = subprocess.run(args, capture_output=True, text=True, timeout=90)
    console = [m.group(1) for m in _CONSOLE.finditer(result.stderr)]
    return Rendered(out, console, result.stderr)
