"""Worker processes of a parallel link scan end with their parent, however it ends."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from costwatch.linkscan import PARALLEL_MIN_FILES

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads process parents from /proc"
)


def _state(pid: int) -> tuple[int, str] | None:
    """(parent pid, state letter) of a live process, None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), fields[0]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            state = _state(int(entry))
            if state is not None and state[0] == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    state = _state(pid)
    return state is not None and state[1] != "Z"


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough files for worker processes, and two that keep them busy for seconds."""
    root = tmp_path_factory.mktemp("busy") / "site"
    root.mkdir()
    for i in range(PARALLEL_MIN_FILES + 50):
        (root / f"p{i}.html").write_text(f'<img src="https://drive.google.com/uc?id={i}">\n')
    heavy = "\n".join(f'<img src="https://drive.google.com/uc?id={i}">' for i in range(120_000))
    for i in range(4):
        (root / f"heavy{i}.html").write_text(heavy)
    return root


@pytest.fixture()
def scan_process(busy_site: Path) -> Iterator[tuple[subprocess.Popen[bytes], list[int]]]:
    command = [sys.executable, "-c", "from costwatch.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "links", str(busy_site), "--format", "json", "--fail-on", "never"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2 and process.poll() is None:
            workers = _children(process.pid)
            time.sleep(0.02)
        assert len(workers) >= 2, "no worker processes started"
        time.sleep(0.5)  # let them get into their shares
        assert process.poll() is None, "the scan ended before the test could signal it"
        yield process, workers
    finally:
        for pid in [process.pid, *_children(process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_workers_die_when_the_parent_is_killed(
    scan_process: tuple[subprocess.Popen[bytes], list[int]], signum: int
) -> None:
    process, workers = scan_process
    os.kill(process.pid, signum)
    process.wait(timeout=30)
    assert _gone_within(workers, 5), [w for w in workers if _alive(w)]


def test_ctrl_c_stops_within_a_second_with_exit_130(
    scan_process: tuple[subprocess.Popen[bytes], list[int]],
) -> None:
    process, workers = scan_process
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to the whole group
    assert process.wait(timeout=30) == 130
    assert time.monotonic() - started < 2.5  # about a second, with room for a loaded machine
    assert _gone_within(workers, 2)
    assert process.stderr is not None
    assert b"Traceback" not in process.stderr.read()
