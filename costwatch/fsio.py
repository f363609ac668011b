"""The one way costwatch writes a file: atomically.

A report, baseline or history record is written to a temporary file in the same folder,
flushed and fsynced, then renamed over the target, and the folder is fsynced so the rename
survives a crash. A run killed at any instant, or a full disk, leaves either the old file or
the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` atomically; on any failure the old file is untouched.

    A symbolic link is written through (the file it names is replaced, the link stays).
    Raises :class:`OSError` (with the temporary file removed) when the folder is missing or
    unwritable, the disk is full, or ``path`` is a folder or not a regular file.
    """
    path = _through_links(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder", str(path))
    if path.exists() and not path.is_file():
        # Renaming over a device, pipe or socket would replace it (as root, /dev/null itself)
        # with a regular file; a stream is the caller's to write, not this function's.
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)


def _through_links(path: Path) -> Path:
    """The file a symbolic link names (so a link such as ``latest.json`` survives the write)."""
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def atomic_write_text(path: Path, text: str, *, mode: int = 0o644) -> None:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform or file system lets a folder be
    # opened for this, and the write has already succeeded, so a refusal is not an error.
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
