"""What the scanner looks for: the hosts, schemes and parameters that link rules declare.

The engine builds a :class:`LinkTargets` from the rules; the scanner derives its fast tests
from it (a substring prefilter, one host regex), so no second host list is ever written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from costwatch.lazy import lazy
from costwatch.urls import Link


@dataclass(frozen=True)
class LinkTargets:
    """What link rules look at: hosts (with subdomains), URL schemes, query parameters.

    The engine builds it from the rules' declarations, so the scanner's fast tests (a substring
    prefilter, one host regex) never need a second hand-written host list.
    """

    hosts: tuple[str, ...]
    schemes: tuple[str, ...] = ()
    params: tuple[str, ...] = ()

    @lazy
    def needles(self) -> tuple[bytes, ...]:
        """Substrings one of which a file must hold before it is searched for links.

        One per host (its most distinctive label), scheme (``gs:``) and parameter
        (``ignature=``), without the first letter so a capital (``Google``) matches too, in
        lower and upper case; a needle containing another is dropped. They keep the order the
        rules declare them in, so the commonest hosts (the first rules') are tried first:
        most files hold one, and each needle tried costs a pass over a file that lacks it.
        """
        words = [_host_word(host) for host in self.hosts]
        words += [f"{scheme}:" for scheme in self.schemes]
        words += [f"{_drop_first_letter(param)}=" for param in self.params]
        kept = [w for w in dict.fromkeys(words) if not any(o != w and o in w for o in words)]
        lower = [w.lower().encode() for w in kept]
        return tuple(dict.fromkeys(lower + [w.upper().encode() for w in kept]))

    @lazy
    def host_pattern(self) -> re.Pattern[bytes]:
        """``//host`` for the hosts (group 1) or ``gs://bucket``-style URIs (group 2)."""
        # Each alternative starts with the literal `//`, which the regex engine skips to fast.
        hosts = _trie([h.lower().encode() for h in self.hosts])
        alternatives = []
        if hosts:
            alternatives.append(rb"((?:[A-Za-z0-9_-]+\.)*?(?:" + hosts + rb"))(?![A-Za-z0-9_.-])")
        if self.schemes:
            after = b"|".join(rb"(?<=" + re.escape(s.encode()) + rb"://)" for s in self.schemes)
            # A bucket may be a template expression (`gs://${bucket}/...`).
            alternatives.append(
                rb"(?:" + after + rb")([A-Za-z0-9_.-]+|\$\{[^{}\s\"'`<>\\]{1,100}\})"
            )
        if not alternatives:
            return re.compile(rb"(?!)")
        # Every alternative goes on with one of these characters: testing it first lets the
        # engine leave the many `//` that open comments after one test, not after each branch.
        first = rb"(?=[A-Za-z0-9_.$-])"
        return re.compile(rb"//" + first + rb"(?:" + b"|".join(alternatives) + rb")", re.IGNORECASE)

    @lazy
    def host_name_pattern(self) -> re.Pattern[str]:
        names = "|".join(re.escape(h) for h in sorted(self.hosts))
        return re.compile(r"(?:^|\.)(?:" + (names or "(?!)") + r")$")

    @lazy
    def param_needles(self) -> tuple[bytes, ...]:
        words = [f"{_drop_first_letter(p)}=" for p in self.params]
        kept = [w for w in dict.fromkeys(words) if not any(o != w and o in w for o in words)]
        return tuple(v.encode() for w in kept for v in (w.lower(), w.upper()))

    def is_interesting(self, link: Link) -> bool:
        """Could any rule care about this URL? Cheap, so most URLs stop here."""
        if link.scheme in self.schemes:
            return True
        if self.host_name_pattern.search(link.host):
            return True
        return bool(self.params) and any(k.lower() in self.params for k, _ in link.query)


def _trie(words: Sequence[bytes]) -> bytes:
    """A regex matching exactly ``words``, as a trie: the engine then tries one branch per
    character instead of every word at every position, which matters at every ``//``."""
    tree: dict[int, Any] = {}
    for word in words:
        node = tree
        for byte in word:
            node = node.setdefault(byte, {})
        node[-1] = {}  # end of a word
    return _trie_node(tree)


def _trie_node(node: dict[int, Any]) -> bytes:
    ends = -1 in node
    branches = [
        re.escape(bytes([byte])) + _trie_node(child)
        for byte, child in sorted(node.items())
        if byte != -1
    ]
    if not branches:
        return b""
    body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    if ends:
        # A shorter word ends here: the longer ones are tried first.
        return b"(?:" + body + b")?"
    return body


def _drop_first_letter(word: str) -> str:
    return word[1:] if len(word) >= 5 and word[0].isalpha() else word


def _host_word(host: str) -> str:
    """The host's most distinctive label: the registrable name unless it is short."""
    labels = host.lower().split(".")
    named = labels[:-1] or labels
    word = named[-1]
    if len(word) < 5:
        word = max(named, key=len)
    return _drop_first_letter(word)


def is_interesting(link: Link, targets: LinkTargets | None) -> bool:
    """Could a rule care about ``link``? Without targets every link counts."""
    return targets is None or targets.is_interesting(link)
