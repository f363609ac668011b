"""Where a report goes: stdout, or a file written atomically. Every failure is one plain reason.

A report file is replaced through :func:`costwatch.fsio.atomic_write_text`: a full disk, an
unwritable folder or a folder in the way leaves the previous file as it was. ``--output`` never
replaces a file the same run reads (the config, a baseline, a file named to scan): a typo there
would destroy the input. A closed stdout (``>&-``), a full device (``/dev/full``) or a reader
that went away (``| head``) is a write error on stdout, not an internal one.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from costwatch.errors import CostwatchError
from costwatch.fsio import atomic_write_text
from costwatch.textsafe import encodable, encodable_bytes, safe_text


class OutputError(CostwatchError):
    """The report could not be written where it was asked to go."""


class StdoutGone(OutputError):
    """The reader of stdout went away (a closed pipe): nothing more to say to anyone."""


def _same_file(one: Path, two: Path) -> bool:
    try:
        return os.path.samefile(one, two)
    except OSError:
        return one.absolute() == two.absolute()


def check_output_target(output: Path, inputs: Iterable[tuple[str, Path | None]]) -> None:
    """Refuse an ``--output`` that is one of the run's inputs (``(what, path)`` pairs)."""
    for what, path in inputs:
        if path is not None and _same_file(output, path):
            raise OutputError(
                f"--output {safe_text(str(output))} is the {what} this run reads; "
                "write the report to another file"
            )


def write_file(output: Path, text: str) -> None:
    """Replace ``output`` with ``text`` atomically; :class:`OutputError` with the reason.

    A device or pipe (``-o /dev/stderr``, ``-o >(gzip > r.gz)``) is written as the stream it
    is: there is no previous file to keep, and replacing the node would break the system.
    """
    shown = safe_text(str(output))
    if output.is_dir():
        raise OutputError(f"cannot write {shown}: it is a folder")
    if output.exists() and not output.is_file():
        _write_stream(output, text, shown)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(output, encodable(text))
    except OSError as exc:
        raise OutputError(
            f"cannot write {shown}: {exc.strerror or exc} (the previous file, if any, is unchanged)"
        ) from exc


def _write_stream(output: Path, text: str, shown: str) -> None:
    try:
        with open(output, "wb") as stream:
            stream.write(encodable_bytes(text))
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from exc


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout and flush; :class:`OutputError` when stdout cannot take it."""
    stream = sys.stdout
    if stream is None or isinstance(stream, ClosedStdout):
        raise OutputError(ClosedStdout.REASON)
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(encodable_bytes(text))
            buffer.flush()
        else:
            stream.write(encodable(text))
            stream.flush()
    except OSError as exc:
        silence_stdout()
        if exc.errno == errno.EPIPE:
            raise StdoutGone("stdout was closed by its reader") from exc
        if exc.errno == errno.EBADF:
            raise OutputError(ClosedStdout.REASON) from exc
        raise OutputError(f"cannot write the report to stdout: {exc.strerror or exc}") from exc
    except ValueError as exc:  # the stream object itself was closed
        raise OutputError(ClosedStdout.REASON) from exc


class ClosedStdout(io.TextIOBase):
    """Stands in for a stdout that was closed before the run (``>&-``): any write is an
    :class:`OSError` with a plain reason, whoever writes, instead of a crash on ``None``."""

    REASON = "stdout is closed: nowhere to write (a report can go to --output FILE)"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, self.REASON)

    def isatty(self) -> bool:
        return False


class SafeStderr(io.TextIOBase):
    """stderr with every line passed through :func:`safe_text`: whoever writes a diagnostic
    (a command's own warnings, a library's), control sequences in it are shown as escapes."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("SafeStderr takes text")
        self._inner.write("\n".join(safe_text(part) for part in text.split("\n")))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()


def install_safe_stderr() -> None:
    """Route every write to stderr through :class:`SafeStderr` (once)."""
    if sys.stderr is not None and not isinstance(sys.stderr, SafeStderr):
        sys.stderr = SafeStderr(sys.stderr)


def install_closed_stdout() -> None:
    """Put :class:`ClosedStdout` in place when the interpreter found no stdout at start."""
    if sys.stdout is None:
        sys.stdout = ClosedStdout()


def silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            # Whatever failed to go out is still buffered; the null device takes it now.
            buffer.flush()
