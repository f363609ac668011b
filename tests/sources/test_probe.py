"""The one-pass Hyperscan probe answers exactly what the pure-Python probe answers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costwatch.linkscan import TARGETS
from costwatch.sources import probe as probe_module
from costwatch.sources.probe import HOST_REACH, PlainProbe, Probe, probe_maker
from costwatch.sources.site import SCAN_LITERALS
from tests.helpers import missing_tool

ROOT = Path(__file__).resolve().parents[2]
ASKED = (*TARGETS.needles, *TARGETS.param_needles, *SCAN_LITERALS)


@pytest.fixture(autouse=True)
def _hyperscan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(probe_module.DISABLE_ENV, raising=False)
    if importlib.util.find_spec("hyperscan") is None:
        missing_tool("hyperscan (the `fast` extra)")


def hyperscan_probe(data: bytes) -> Probe:
    probe = probe_maker(TARGETS, SCAN_LITERALS)(data)
    assert isinstance(probe, probe_module.HyperscanProbe)
    return probe


def answers(probe: Probe) -> tuple[object, ...]:
    matches = [(m.start(), m.end(), m.groups()) for m in probe.host_matches()]
    return tuple(probe.has(literal) for literal in ASKED), matches


def assert_same(data: bytes) -> None:
    assert answers(hyperscan_probe(data)) == answers(PlainProbe(data, TARGETS))


# Pieces a link scan meets, in every case: hosts and their look-alikes, subdomains, schemes,
# escaped slashes, comment openers, ignore markers, signatures, separators.
FRAGMENTS = [
    *(h.encode() for h in TARGETS.hosts),
    *(h.upper().encode() for h in TARGETS.hosts),
    b"//",
    b"///",
    b"https:",
    b"gs://",
    b"GS://",
    b"gs:",
    b"\\/\\/",
    b"cdn.",
    b"my-bucket.",
    b"a_b.",
    b".",
    b"-",
    b"x",
    b"storage.googleapis.com.evil.example",
    b"notstorage.googleapis.com",
    b"${bucket}",
    b"/path/img.png",
    b"?X-Goog-Signature=ab",
    b"IGNATURE=",
    b"costwatch:",
    b"costwatch: ignore[CW307] partner",
    b"<!--",
    b"-->",
    b"/*",
    b"*/",
    b"{#",
    b"{{!--",
    b"<%#",
    b"comment",
    b" ",
    b'"',
    b"\n",
    b"\xff",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_same_answers_on_generated_text(pieces: list[bytes]) -> None:
    assert_same(b"".join(pieces))


def test_same_answers_on_the_empty_file() -> None:
    assert_same(b"")


@pytest.mark.parametrize(
    "data",
    [
        b"//storage.googleapis.com//storage.googleapis.com",
        b"https://a.b.storage.googleapis.com/x https://STORAGE.GOOGLEAPIS.COM/y",
        b"//commondatastorage.googleapis.com/b/o",  # holds another host's name
        b"gs://gs://bucket/x gs://${bucket}/y",
        b"///storage.googleapis.com",
        b"//-.storage.googleapis.com",
        b"//storage.googleapis.com.evil.example/x",
    ],
)
def test_same_answers_on_tricky_links(data: bytes) -> None:
    assert_same(data)


def test_subdomains_longer_than_the_reach_are_left_to_the_regex() -> None:
    label = b"a" * 60 + b"."
    long_host = b"https://" + label * (HOST_REACH // len(label) + 2) + b"storage.googleapis.com/b/o"
    data = b"x " * 10 + long_host + b" //storage.googleapis.com/c/d"
    assert len(PlainProbe(data, TARGETS).host_matches()) == 2
    assert_same(data)


def test_same_answers_on_real_sites() -> None:
    files = [
        path
        for folder in (ROOT / "benchmarks" / "linkcorpus" / "files", ROOT / "tests" / "data")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]
    assert len(files) > 100
    for path in files:
        assert_same(path.read_bytes())


def test_turned_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(probe_module.DISABLE_ENV, "1")
    assert isinstance(probe_maker(TARGETS, SCAN_LITERALS)(b"x"), PlainProbe)


def test_literals_it_was_not_told_of_are_still_answered() -> None:
    probe = hyperscan_probe(b"an unusual word")
    assert probe.has(b"unusual")
    assert not probe.has(b"absent")


def test_threads_each_get_their_own_working_memory() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        b"x " * n + b"https://storage.googleapis.com/b/%d.png <!-- c --> //drive.google.com/uc" % n
        for n in range(200)
    ]
    expected = [answers(PlainProbe(text, TARGETS)) for text in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda text: answers(hyperscan_probe(text)), texts))
    assert got == expected


def test_a_file_the_library_fails_on_is_answered_by_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hyperscan

    class Refusing:
        def scan(self, *args: object, **kwargs: object) -> None:
            raise hyperscan.error("scratch in use")

    compiled = probe_module._hyperscan_database(TARGETS, SCAN_LITERALS)
    assert compiled is not None
    monkeypatch.setattr(compiled, "database", Refusing())
    data = b"<!-- x --> https://storage.googleapis.com/b/o.png costwatch: ignore[CW307] ok"
    probe = probe_module.HyperscanProbe(data, compiled)
    assert not probe.scanned
    assert answers(probe) == answers(PlainProbe(data, TARGETS))


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(
        st.sampled_from([b"\\", b"/", b"!", b"<", b"-", b"*", b"x", b"%", b"#"]), max_size=20
    ),
    literal=st.sampled_from([*SCAN_LITERALS, b"\\", b"!x", b"x"]),
)
def test_the_rare_byte_shortcut_answers_what_a_search_answers(
    data: list[bytes], literal: bytes
) -> None:
    text = b"".join(data)
    assert PlainProbe(text, TARGETS).has(literal) == (literal in text)
