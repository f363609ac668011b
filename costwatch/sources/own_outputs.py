"""costwatch's own outputs (reports, baselines, records), recognised by their content.

A report or baseline written inside the scanned tree must not be scanned as site source: its
messages hold the very links it reports.
"""

from __future__ import annotations

import re

# A report or baseline costwatch wrote: JSON with its schema version and tool name, SARIF
# naming costwatch as the driver, or a text/Markdown report's first line.
_OWN_JSON = re.compile(
    rb'\A\s*\{.{0,2000}?"tool"\s*:\s*(?:"costwatch"|\{\s*"name"\s*:\s*"costwatch")', re.S
)
_OWN_SCHEMA = re.compile(rb'"schema_version"\s*:\s*\d')
_OWN_SARIF = re.compile(rb'"driver"\s*:\s*\{\s*"name"\s*:\s*"costwatch"')
_OWN_TEXT = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:# costwatch [a-z-]+\r?\n\r?\n)?"
    rb"costwatch [a-z-]+ \S+ at \d{4}-\d\d-\d\d"
)
_OWN_HTML = re.compile(rb'<meta\s+name="generator"\s+content="costwatch', re.I)
# JUnit XML, GitHub workflow commands and GitLab Code Quality JSON from `--format`.
_OWN_JUNIT = re.compile(rb'<testsuites\s+name="costwatch[ "]')
_OWN_GITHUB = re.compile(rb"\A::(?:error|warning|notice) [^\n]*title=CW\d{3}::")
_OWN_GITLAB = re.compile(rb'\A\s*\[\s*\{\s*"description"[^\n]*\n?\s*"check_name"\s*:\s*"CW\d{3}"')


#: The word every costwatch output but GitHub's and GitLab's holds near its start.
OWN_NAME = b"costwatch"


def is_costwatch_output(data: bytes, named: bool | None = None) -> bool:
    """Is this a report, baseline or record costwatch wrote? Judged by content, not name.

    ``named`` says whether ``data`` holds :data:`OWN_NAME` anywhere, where the caller knows.
    """
    head = data[:8192]
    if _OWN_GITHUB.match(head) or _OWN_GITLAB.match(head):
        return True
    if named is False or data.find(OWN_NAME, 0, 8192) < 0:
        return False
    if _OWN_JSON.match(head):
        return bool(_OWN_SCHEMA.search(head)) or bool(_OWN_SARIF.search(head))
    if head.lstrip()[:1] == b"{" and _OWN_SARIF.search(head):
        return True
    return bool(_OWN_TEXT.match(head) or _OWN_HTML.search(head) or _OWN_JUNIT.search(head))
