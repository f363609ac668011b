"""A live listing progress line on stderr, only when stderr is a terminal.

Piped or redirected runs (cron, CI) get nothing on stderr but diagnostics.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from costwatch.objects_model import ListingProgress

Update = Callable[[str, ListingProgress], None]


def describe(bucket: str, state: ListingProgress) -> str:
    ops = "operation" if state.pages == 1 else "operations"
    return (
        f"gs://{bucket}: {state.objects:,} objects, {state.pages:,} pages "
        f"({state.pages:,} Class A {ops} spent)"
    )


@contextlib.contextmanager
def listing_progress(enabled: bool, console: Any = None) -> Iterator[Update | None]:
    """Yield a callback that shows each listed page, or None when not ``enabled``."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    shown = console if console is not None else Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=shown,
        transient=True,
    ) as progress:
        tasks: dict[str, Any] = {}

        def update(bucket: str, state: ListingProgress) -> None:
            if bucket not in tasks:
                tasks[bucket] = progress.add_task(describe(bucket, state), total=None)
            progress.update(tasks[bucket], description=describe(bucket, state))

        yield update
