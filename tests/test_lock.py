"""One writer per reports folder."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from costwatch.lock import FolderBusy, folder_lock


def test_second_holder_waits_then_gives_up(tmp_path: Path) -> None:
    with folder_lock(tmp_path, 0):
        started = time.monotonic()
        busy = f"another costwatch report is writing {tmp_path}$"
        with pytest.raises(FolderBusy, match=busy), folder_lock(tmp_path, 0.3):
            pass
        assert 0.25 < time.monotonic() - started < 3


def test_lock_is_released_when_the_holder_dies(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom costwatch.lock import folder_lock\n"
            f"with folder_lock(Path({str(tmp_path)!r}), 0):\n"
            "    print('held', flush=True)\n    time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(FolderBusy), folder_lock(tmp_path, 0.1):
        pass
    holder.kill()
    holder.wait(timeout=10)
    with folder_lock(tmp_path, 5):
        pass


def test_waiting_writer_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nfrom pathlib import Path\nfrom costwatch.lock import folder_lock\n"
            f"with folder_lock(Path({str(tmp_path)!r}), 0):\n"
            "    print('held', flush=True)\n    time.sleep(0.5)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with folder_lock(tmp_path, 10):
        pass
    holder.wait(timeout=10)
