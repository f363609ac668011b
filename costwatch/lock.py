"""One writer per reports folder: an advisory ``flock`` on ``DIR/.lock``.

The kernel releases the lock when the process ends, however it ends, so a killed run never
leaves a stale lock behind (a PID file would). Cron's ``flock -n`` guards the same way.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from costwatch.errors import CostwatchError

LOCK_NAME = ".lock"
POLL_SECONDS = 0.1


class FolderBusy(CostwatchError):
    """Another run holds the folder's lock for longer than we were willing to wait."""


@contextlib.contextmanager
def folder_lock(folder: Path, wait_seconds: float) -> Iterator[None]:
    """Hold ``folder``'s lock for the block; wait up to ``wait_seconds`` for another writer.

    Raises :class:`FolderBusy` when the wait runs out and :class:`OSError` when the lock file
    cannot be opened (the folder is missing or unwritable).
    """
    handle = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FolderBusy(f"another costwatch report is writing {folder}") from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
