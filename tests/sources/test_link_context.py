"""Where a link sits: comment syntaxes by file type, found once per file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costwatch.sources.link_context import block_comments

# Every test here runs with both ways of reading a file's bytes (see conftest).
pytestmark = pytest.mark.usefixtures("link_scanner")


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        (b"a <!-- b --> c", [(2, 12)]),
        (b"x /* <!-- */ y <!-- /* -->", [(2, 12), (15, 26)]),
        (b"https://x.com/* y", []),
        (b"f(/* a */) {# b #} {{!-- c --}} <%# d %>", [(2, 9), (11, 18), (19, 31), (32, 40)]),
        (b"<!-- unclosed", [(0, 13)]),
        (b"{% comment %} a {% endcomment %}", [(0, 32)]),
    ],
)
def test_block_comments(text: bytes, spans: list[tuple[int, int]]) -> None:
    starts, ends = block_comments(text)
    assert list(zip(starts, ends, strict=True)) == spans


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([b"<!--", b"-->", b"/*", b"*/", b" ", b"x", b"{#", b"#}", b"\n", b"//"]),
        max_size=60,
    )
)
def test_block_comments_are_ordered_and_apart(parts: list[bytes]) -> None:
    data = b"".join(parts)
    starts, ends = block_comments(data)
    previous_end = 0
    for start, end in zip(starts, ends, strict=True):
        assert previous_end <= start < end <= len(data)
        previous_end = end
