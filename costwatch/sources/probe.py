"""What the link scan asks of a file's bytes, answered in one pass where Hyperscan is installed.

The scan asks every file which of a few dozen substrings it holds (the rule hosts' words,
signature parameters, JSON's escaped slashes, ignore comments, comment openers) and where the
links to the rules' hosts start. Python's ``in`` and ``re`` answer each question with a pass
of its own over the bytes. With the optional ``fast`` extra installed (the ``hyperscan``
wheel, which bundles Intel's Hyperscan library), one pass answers them all.

Both give the same answers, so the same findings: Hyperscan only says which substrings occur
and where a rule host's name occurs; where a link starts and what it matches is still decided
by the same regular expression the pure-Python path runs, tried at those places in the order
``re.finditer`` would try them. Set ``COSTWATCH_NO_HYPERSCAN=1`` to use the pure-Python path
with the extra installed.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from costwatch.sources.link_targets import LinkTargets

if TYPE_CHECKING:
    from hyperscan import Database, Scratch

#: Set to any non-empty value to use the pure-Python scan although Hyperscan is installed.
DISABLE_ENV = "COSTWATCH_NO_HYPERSCAN"


class Probe(Protocol):
    """The answers about one file's bytes that the link scan needs."""

    def has(self, literal: bytes) -> bool:
        """Does the file hold ``literal`` (case-sensitive, like ``in``)?"""
        ...

    def host_matches(self) -> list[re.Match[bytes]]:
        """Every match of the targets' host pattern, as ``list(finditer(data))`` gives them."""
        ...


#: Bytes seldom seen in web source, in order of rarity. A substring holding one is looked for
#: only where that byte occurs: one byte is found by ``memchr``, many times faster than a
#: substring, so a file without a backslash costs next to nothing to ask about `\/\/`.
RARE_BYTES = b"\\!*~^|`@%"


@functools.cache
def _sentinel(literal: bytes) -> bytes | None:
    """The rarest of :data:`RARE_BYTES` in ``literal``, if it holds one."""
    return next((bytes([b]) for b in RARE_BYTES if b in literal), None)


class PlainProbe:
    """The pure-Python answers: a pass over the bytes per question."""

    def __init__(self, data: bytes, targets: LinkTargets | None) -> None:
        self.data = data
        self.targets = targets

    def has(self, literal: bytes) -> bool:
        sentinel = _sentinel(literal)
        if sentinel is not None and sentinel not in self.data:
            return False
        return literal in self.data

    def host_matches(self) -> list[re.Match[bytes]]:
        if self.targets is None:
            return []
        return list(self.targets.host_pattern.finditer(self.data))


#: Hyperscan scans blocks of less than 4 GiB; a larger file (far above the default size
#: limit) gets the pure-Python answers.
BLOCK_LIMIT = 2**32 - 1
#: How far back from a host's name the ``//`` that starts its link is looked for; a longer
#: run of subdomain labels (hostile input) sends the file to the pure-Python search.
HOST_REACH = 4096
_LABEL_CHARS = re.compile(rb"[A-Za-z0-9_.-]*")


class _Database:
    """One compiled Hyperscan database for a set of targets and the literals the scan asks."""

    def __init__(self, targets: LinkTargets, literals: Sequence[bytes]) -> None:
        import hyperscan

        self.targets = targets
        self.literals = tuple(dict.fromkeys(literals))
        self.literal_ids = {literal: index for index, literal in enumerate(self.literals)}
        # Host names, matched without regard to case as the host pattern is; then each
        # scheme's `scheme://` (the pattern's `gs://bucket` alternative).
        self.hosts = tuple(dict.fromkeys(h.lower().encode() for h in targets.hosts))
        self.schemes = tuple(dict.fromkeys(f"{s.lower()}://".encode() for s in targets.schemes))
        names = (*self.hosts, *self.schemes)
        self.first_name = len(self.literals)
        self.name_lengths = tuple(len(name) for name in names)
        self.first_scheme = self.first_name + len(self.hosts)
        expressions = [*self.literals, *names]
        flags = [hyperscan.HS_FLAG_SINGLEMATCH] * len(self.literals)
        flags += [hyperscan.HS_FLAG_CASELESS] * len(names)
        self.database: Database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self.database.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=flags,
            literal=True,
        )
        self.error: type[Exception] = hyperscan.error
        self._first_scratch: Scratch = hyperscan.Scratch(self.database)
        self._first_thread = threading.get_ident()
        self._scratches = threading.local()

    def scratch(self) -> Scratch:
        """Hyperscan's working memory for this thread: a scan may not share it."""
        if threading.get_ident() == self._first_thread:
            return self._first_scratch
        scratch: Scratch | None = getattr(self._scratches, "scratch", None)
        if scratch is None:
            scratch = self._scratches.scratch = self._first_scratch.clone()
        return scratch


class HyperscanProbe:
    """The answers from one Hyperscan pass over the bytes."""

    def __init__(self, data: bytes, compiled: _Database) -> None:
        self.data = data
        self.compiled = compiled
        #: Answers what the pass did not: a literal it was not told of, a failed scan.
        self.plain = PlainProbe(data, compiled.targets)
        found: set[int] = set()
        ends: list[tuple[int, int]] = []
        first_name = compiled.first_name

        def on_match(pattern: int, start: int, end: int, flags: int, context: Any) -> None:
            if pattern < first_name:
                found.add(pattern)
            else:
                ends.append((pattern, end))

        #: False when the library failed on this file: the plain answers are given instead.
        self.scanned = len(data) < BLOCK_LIMIT
        if data and self.scanned:
            try:
                compiled.database.scan(
                    data, match_event_handler=on_match, scratch=compiled.scratch()
                )
            except compiled.error:
                self.scanned = False
        self.found = found
        self.name_ends = ends

    def has(self, literal: bytes) -> bool:
        index = self.compiled.literal_ids.get(literal)
        if index is None or not self.scanned:
            return self.plain.has(literal)
        return index in self.found

    def host_matches(self) -> list[re.Match[bytes]]:
        starts = self._link_starts() if self.scanned else None
        if starts is None:
            return self.plain.host_matches()
        pattern = self.compiled.targets.host_pattern
        # What finditer does, at only the places a match can start: try each in order, and
        # go on from the end of a match.
        matches = []
        resume = 0
        for start in sorted(starts):
            if start < resume:
                continue
            match = pattern.match(self.data, start)
            if match is not None:
                matches.append(match)
                resume = match.end()
        return matches

    def _link_starts(self) -> set[int] | None:
        """Where ``//`` may start a match: before each host name, after each ``scheme:``.

        None when a host name follows a longer run of label characters than
        :data:`HOST_REACH`, where the pure-Python search decides instead.
        """
        data = self.data
        compiled = self.compiled
        starts: set[int] = set()
        for pattern, end in self.name_ends:
            if pattern >= compiled.first_scheme:
                starts.add(end - 2)  # the `//` of `gs://`
                continue
            name_start = end - compiled.name_lengths[pattern - compiled.first_name]
            low = max(0, name_start - HOST_REACH)
            slashes = data.rfind(b"//", low, name_start)
            if slashes < 0:
                if low > 0 and _LABEL_CHARS.fullmatch(data, low, name_start):
                    return None
                continue
            # Between the `//` and the name only subdomain labels may stand.
            if _LABEL_CHARS.fullmatch(data, slashes + 2, name_start):
                starts.add(slashes)
        return starts


_compiled: dict[tuple[LinkTargets, tuple[bytes, ...]], _Database | None] = {}


def _hyperscan_database(targets: LinkTargets, literals: tuple[bytes, ...]) -> _Database | None:
    """The compiled database for ``targets``, or None without a usable Hyperscan."""
    key = (targets, literals)
    if key not in _compiled:
        try:
            import hyperscan
        except ImportError:
            _compiled[key] = None
            return None
        try:
            _compiled[key] = _Database(targets, literals)
        except hyperscan.error:
            _compiled[key] = None  # a library that cannot compile here: the plain path
    return _compiled[key]


def probe_maker(
    targets: LinkTargets | None, literals: Iterable[bytes] = ()
) -> Callable[[bytes], Probe]:
    """A function giving each file's :class:`Probe`: the one-pass kind where it can be.

    ``literals`` are the substrings the caller will ask about besides the targets' own
    needles; any other is still answered, by a pass of its own.
    """
    compiled = None
    if targets is not None and not os.environ.get(DISABLE_ENV):
        compiled = _hyperscan_database(
            targets, (*targets.needles, *targets.param_needles, *literals)
        )
    if compiled is None:
        return lambda data: PlainProbe(data, targets)
    return lambda data: HyperscanProbe(data, compiled)
