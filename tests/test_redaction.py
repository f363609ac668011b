"""Redaction against every spelling a secret takes in site source (hostile-input families)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from costwatch.urls import REDACTED, decode_references, parse_link, redact, redact_text

SECRET = "S3cr3tV4lue"

# Every HTML character reference form of `&`, and double escaping.
AMPERSANDS = [
    "&",
    "&amp;",
    "&#38;",
    "&#038;",
    "&#0038;",
    "&#x26;",
    "&#x0026;",
    "&#X26;",
    "&amp;amp;",
    "&amp;#038;",
    "\\u0026",
]


@pytest.mark.parametrize("amp", AMPERSANDS)
def test_every_ampersand_spelling_is_decoded(amp: str) -> None:
    assert decode_references(f"a=1{amp}b=2") == "a=1&b=2"


@pytest.mark.parametrize("amp", AMPERSANDS)
@pytest.mark.parametrize(
    "name", ["token", "X-Goog-Signature", "rlkey", "authkey", "resourcekey", "access_token"]
)
def test_secret_after_any_ampersand_is_redacted(amp: str, name: str) -> None:
    link = parse_link("https", f"example.com/a.png?w=1{amp}{name}={SECRET}{amp}h=2")
    assert link is not None
    assert link.param(name) == SECRET
    assert SECRET not in link.redacted
    assert f"{name}={REDACTED}" in link.redacted


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # `;` separates parameters too.
        (f"https://a.com/x?a=1;token={SECRET}", f"https://a.com/x?a=1;token={REDACTED}"),
        # Share-link keys.
        (
            f"https://www.dropbox.com/scl/fi/x/a.png?rlkey={SECRET}&dl=1",
            f"https://www.dropbox.com/scl/fi/x/a.png?rlkey={REDACTED}&dl=1",
        ),
        (
            f"https://onedrive.live.com/embed?resid=1&authkey={SECRET}&em=2",
            f"https://onedrive.live.com/embed?resid=1&authkey={REDACTED}&em=2",
        ),
        (
            f"https://drive.google.com/file/d/1/view?resourcekey={SECRET}",
            f"https://drive.google.com/file/d/1/view?resourcekey={REDACTED}",
        ),
        # userinfo
        (f"https://user:{SECRET}@a.com/x", f"https://user:{REDACTED}@a.com/x"),
        # A nested URL value, plain and percent-encoded (once and twice).
        (
            f"https://a.com/r?next=https://raw.githubusercontent.com/o/r/a.png?token={SECRET}",
            f"https://a.com/r?next=https://raw.githubusercontent.com/o/r/a.png?token={REDACTED}",
        ),
        (
            f"https://a.com/r?next=https%3A%2F%2Fb.com%2Fa%3Ftoken%3D{SECRET}%26w%3D1",
            f"https://a.com/r?next=https%3A%2F%2Fb.com%2Fa%3Ftoken%3D{REDACTED}%26w%3D1",
        ),
        (
            f"https://a.com/r?next=https%253A%252F%252Fb.com%252Fa%253Ftoken%253D{SECRET}",
            f"https://a.com/r?next=https%253A%252F%252Fb.com%252Fa%253Ftoken%253D{REDACTED}",
        ),
        # A nested URL with userinfo.
        (
            f"https://a.com/r?next=https://u:{SECRET}@b.com/",
            f"https://a.com/r?next=https://u:{REDACTED}@b.com/",
        ),
        # Token formats that are secrets wherever they sit.
        ("https://a.com/ghp_" + "A" * 36 + "/x.png", f"https://a.com/{REDACTED}/x.png"),
        ("https://a.com/x?q=AKIAABCDEFGHIJKLMNOP", f"https://a.com/x?q={REDACTED}"),
    ],
)
def test_redaction_families(url: str, expected: str) -> None:
    assert redact(url) == expected


@pytest.mark.parametrize(
    "text",
    [
        f"token={SECRET}",
        f"not a url at all, but ?token={SECRET}",
        f"https://[broken?token={SECRET}",
        f"//u:{SECRET}@host",
        f"X-Amz-Signature%3D{SECRET}",
        f"a,https://x.com/?sig={SECRET},b",
    ],
)
def test_secret_shapes_are_redacted_without_a_parsable_url(text: str) -> None:
    assert SECRET not in redact_text(text)
    assert SECRET not in redact(text)


def test_signed_url_is_recognised_after_wordpress_escaping() -> None:
    body = (
        "storage.googleapis.com/b/a.png?X-Goog-Algorithm=GOOG4-RSA-SHA256&#038;"
        f"X-Goog-Date=20261101T000000Z&#038;X-Goog-Expires=60&#038;X-Goog-Signature={SECRET}"
    )
    link = parse_link("https", body)
    assert link is not None
    assert link.param("X-Goog-Signature") == SECRET
    assert link.param("X-Goog-Expires") == "60"
    assert SECRET not in link.redacted


def test_redaction_is_idempotent_and_keeps_clean_urls() -> None:
    clean = "https://storage.googleapis.com/my-bucket/a%20b.png?w=100&h=50#top"
    assert redact(clean) == clean
    once = redact(f"https://a.com/x?token={SECRET}")
    assert redact(once) == once


_VALUE = st.text(
    alphabet=st.characters(
        min_codepoint=33, max_codepoint=126, exclude_characters="&#;=?%\\\"'<>, "
    ),
    min_size=6,
    max_size=40,
).filter(lambda v: v not in REDACTED)
_NAMES = st.sampled_from(
    [
        "token",
        "TOKEN",
        "x-goog-signature",
        "X-Amz-Signature",
        "rlkey",
        "authkey",
        "resourcekey",
        "jwt",
        "sig",
        "key",
        "password",
    ]
)
_SPELLING = st.sampled_from([*AMPERSANDS, ";"])
_NESTING = st.sampled_from(
    ["{}", "https://a.com/r?next={}", "https://a.com/r?u=1{amp}{}", "https://a.com/r#x=1{amp}{}"]
)


@settings(max_examples=400, deadline=None)
@given(
    value=_VALUE,
    name=_NAMES,
    amp=_SPELLING,
    nesting=_NESTING,
    host=st.sampled_from(
        ["raw.githubusercontent.com", "storage.googleapis.com", "example.com", "www.dropbox.com"]
    ),
)
def test_no_secret_value_survives_any_shape(
    value: str, name: str, amp: str, nesting: str, host: str
) -> None:
    inner = f"https://{host}/o/a.png?w=1{amp}{name}={value}"
    url = nesting.replace("{amp}", amp).format(inner)
    # A value that is also part of the URL's other text ("source" in "resourcekey") is not a
    # leak when that text shows: only look for the value where it was planted.
    assume(value not in url.replace(f"{name}={value}", ""))
    scheme, _, rest = url.partition("://")
    link = parse_link(scheme, rest)
    assert link is not None
    assert value not in link.redacted
    assert value not in redact(url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_redaction_never_crashes_on_any_text(text: str) -> None:
    redact(text)
    redact_text(text)
    decode_references(text)


def test_every_secret_name_passes_the_quick_check() -> None:
    from costwatch.urls import _SECRET_NAME_PARTS, SECRET_PARAMS

    assert all(any(part in name for part in _SECRET_NAME_PARTS) for name in SECRET_PARAMS)
