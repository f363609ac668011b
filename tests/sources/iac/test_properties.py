"""Parsers never crash on arbitrary input: they return records or say what they could not read."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from costwatch.sources.iac.hcl import parse_blocks
from costwatch.sources.iac.plan import read_plan
from costwatch.sources.iac.shell import read_shell

WORDS = st.sampled_from(
    [
        "gcloud", "gsutil", "storage", "buckets", "create", "update", "mb", "iam", "ch", "acl",
        "defacl", "set", "on", "-l", "-b", "-c", "--location", "--location=", "gs://b", "gs://$B",
        "allUsers:objectViewer", "'", '"', "\\\n", ";", "&&", "|", "#", "$(x)", "`", "\n", " ",
        "--member=allUsers", "--role", "versioning", "-u", "AllUsers:R", "=", "{", "}",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join))
def test_shell_reader_never_raises(text: str) -> None:
    found = read_shell(text, "fuzz.sh")
    for record in found.buckets:
        assert record.origin.line is not None and record.origin.line >= 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='resource "google_storage_bucket" {}=\n#[],.$ab12', max_size=120))
def test_hcl_reader_raises_only_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_blocks(text, "fuzz.tf")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {"format_version": st.sampled_from(["1.0", "1.2", "2.0"]), "resource_changes": JSON}
    )
)
def test_plan_reader_never_raises(data: dict[str, object]) -> None:
    read_plan(data, "plan.json")
