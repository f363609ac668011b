from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costwatch.urls import REDACTED, normalise, parse_link, redact


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.com/x.png", "https://a.com/x.png"),
        ("https://a.com/x?token=abc&w=1", f"https://a.com/x?token={REDACTED}&w=1"),
        ("https://a.com/x?TOKEN=abc", f"https://a.com/x?TOKEN={REDACTED}"),
        (
            "https://a.com/x?X-Goog-Signature=abc&X-Goog-Date=1",
            f"https://a.com/x?X-Goog-Signature={REDACTED}&X-Goog-Date=1",
        ),
        (
            "https://a.com/x?X%2DAmz%2DSignature=abc",
            f"https://a.com/x?X%2DAmz%2DSignature={REDACTED}",
        ),
        ("https://user:pw@a.com/x", f"https://user:{REDACTED}@a.com/x"),
        ("https://tok@a.com/x", f"https://{REDACTED}@a.com/x"),
        (
            "https://a.com/x#access_token=abc&state=1",
            f"https://a.com/x#access_token={REDACTED}&state=1",
        ),
        ("https://a.com/x?key=AIzaSecret", f"https://a.com/x?key={REDACTED}"),
        (
            "https://drive.google.com/uc?id=1&resourcekey=0-abc",
            f"https://drive.google.com/uc?id=1&resourcekey={REDACTED}",
        ),
        (
            "https://b.s3.amazonaws.com/a?AWSAccessKeyId=AKIA1&Signature=x&Expires=1",
            f"https://b.s3.amazonaws.com/a?AWSAccessKeyId={REDACTED}&Signature={REDACTED}&Expires=1",
        ),
    ],
)
def test_redact(url: str, expected: str) -> None:
    assert redact(url) == expected


def test_normalise_spellings() -> None:
    assert normalise("a.com\\/b?x=1&amp;y=2&#38;z=3") == "a.com/b?x=1&y=2&z=3"
    assert normalise("a.com/b.png&quot;") == "a.com/b.png"
    assert normalise("a.com/b.png).") == "a.com/b.png)"


def test_parse_link() -> None:
    link = parse_link("HTTPS", "Drive.Google.com:443/uc?export=view&id=1%2FAbC#frag")
    assert link is not None
    assert (link.scheme, link.host, link.path) == ("https", "drive.google.com", "/uc")
    assert link.param("ID") == "1/AbC"
    assert link.segments == ["uc"]
    assert parse_link("https", "") is None
    assert parse_link("https", "/no-host") is None


@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=60))
def test_a_secret_value_never_survives_redaction(secret: str) -> None:
    secret = secret.replace("&", "").replace("#", "")
    url = f"https://raw.githubusercontent.com/o/r/a.png?w=1&token=XX{secret}YY"
    assert f"XX{secret}YY" not in redact(url)
