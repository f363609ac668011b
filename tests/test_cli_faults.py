"""Hostile input and a hostile environment, through the command line.

Every case ends in a report that shows untrusted text as text, or in one plain line on stderr
with exit code 2: never a traceback, never "unexpected", never a half-written file.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from costwatch.billing import billing_period
from costwatch.cli import app
from costwatch.demo.monitoring import MetricServiceEmulator, bucket_series, monitoring_emulator
from costwatch.sources.monitoring import EGRESS, REQUESTS
from costwatch.units import GIB

runner = CliRunner()
OSC8 = "\x1b]8;;https:evil.example\x1b\\click\x1b]8;;\x1b\\"
NAMES = [
    f"{OSC8}.html",
    "clear\x1b[2J\x1b[H.html",
    "c1\x9b31m\x9d0;title\x07.html",
    "photo\u202egpj.html",
    "line\rbreak.html",
    "new\nline.html",
    "sep\u2028line.html",
    "<img src=x onerror=alert(1)>.html",
    "pipe | and `tick` [l](https:x).html",
    "my page #1 100%.html",
    "写真 ☃.html",
]
TERMINAL_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SARIF_SCHEMA = Path(__file__).parent / "formats" / "sarif-schema-2.1.0.json"
# RFC 3986 relative-ref: unreserved, pct-encoded, sub-delims, "@", "/" (no ":" in our output).
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})+$")


@pytest.fixture()
def hostile_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    for name in NAMES:
        (site / name).write_text('<img src="gs://b/x.png">\n', encoding="utf-8")
    return site


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """costwatch in a subprocess (for stdout and resource limits CliRunner cannot fake)."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "costwatch", *args], timeout=60, **kwargs
    )


def one_error_line(stderr: str) -> str:
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("costwatch: error: "), stderr
    assert "unexpected" not in stderr and "Traceback" not in stderr
    return stderr


# --- item 5, 6, 15: hostile file names in every format ----------------------------------------


def test_table_and_markdown_show_hostile_names_as_text(hostile_site: Path) -> None:
    table = runner.invoke(app, ["links", "site"])
    assert table.exit_code == 1
    assert not TERMINAL_UNSAFE.search(table.stdout)
    assert "\\x1b]8;;https:evil.example" in table.stdout
    assert "photo\\u202egpj.html" in table.stdout
    markdown = runner.invoke(app, ["links", "site", "-f", "markdown"])
    assert markdown.exit_code == 1
    assert not TERMINAL_UNSAFE.search(markdown.stdout)
    finding_rows = [line for line in markdown.stdout.splitlines() if "CW305" in line]
    assert len(finding_rows) == len(NAMES)
    assert all(row.startswith("| error | CW305 |") and row.endswith(" |") for row in finding_rows)
    assert "\\<img src=x onerror=alert(1)\\>" in markdown.stdout
    html = MarkdownIt("commonmark").enable("table").render(markdown.stdout)
    assert "<img" not in html and "<a " not in html and "<code>" not in html


def test_json_carries_hostile_names_exactly(hostile_site: Path) -> None:
    result = runner.invoke(app, ["links", "site", "-f", "json"])
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert paths == {f"site/{name}" for name in NAMES}


def test_sarif_uris_are_percent_encoded_and_valid(hostile_site: Path) -> None:
    result = runner.invoke(app, ["links", "site", "-f", "sarif", "-o", "out.sarif"])
    assert result.exit_code == 1, result.stderr
    log = json.loads(Path("out.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert all(URI_REFERENCE.match(uri) for uri in uris), uris
    assert {unquote(uri) for uri in uris} == {f"site/{name}" for name in NAMES}
    assert "site/my%20page%20%231%20100%25.html" in uris
    assert "site/%E5%86%99%E7%9C%9F%20%E2%98%83.html" in uris


def test_stderr_lines_are_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["links", "gone\x1b[2J\nsecond line"])
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "\x1b" not in line and "gone\\x1b[2J\\nsecond line" in line


@pytest.mark.parametrize("project", ["p\x1b[2J", "Has Space", "p\nq", ""])
def test_a_hostile_project_is_refused(
    project: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", project)
    result = runner.invoke(app, ["usage", "--as-of", "2026-11-05"])
    if not project:
        assert "no project" in result.stderr
        return
    assert result.exit_code == 2
    assert "\x1b" not in one_error_line(result.stderr)
    assert "not a project ID" in result.stderr


# --- item 17: bad input and a stdout that cannot take the report --------------------------


@pytest.mark.parametrize(
    "as_of", ["0001-01-01", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "1969-12-31"]
)
@pytest.mark.parametrize("command", ["links", "usage", "audit"])
def test_as_of_out_of_range(
    command: str, as_of: str, hostile_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")
    args = [command, "site"] if command == "links" else [command, "-b", "some-b"]
    result = runner.invoke(app, [*args, "--as-of", as_of])
    assert result.exit_code == 2
    assert "out of range" in one_error_line(result.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["links", "site"],
        ["links", "site", "-f", "json"],
        ["rules"],
        ["--version"],
        ["--help"],
        ["schedule", "cron"],
    ],
)
def test_closed_stdout_is_one_line_and_exit_2(args: list[str], hostile_site: Path) -> None:
    result = run(*args, stdout=None, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    assert "stdout is closed" in one_error_line(result.stderr.decode())


@pytest.mark.parametrize(
    "args",
    [
        ["links", "site"],
        ["rules"],
        ["--version"],
        ["--help"],
        ["links", "--help"],
        ["schedule", "cron"],
    ],
)
def test_a_full_stdout_is_one_line_and_exit_2(args: list[str], hostile_site: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = run(*args, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert "No space left on device" in one_error_line(result.stderr.decode())


def test_a_reader_that_goes_away_is_not_an_error_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from costwatch.output import StdoutGone, write_stdout

    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = io.TextIOWrapper(io.BufferedWriter(io.FileIO(write_end, "w")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stream)
    with pytest.raises(StdoutGone):
        write_stdout("x" * 200_000)
    stream.write("flushed at exit")
    stream.flush()  # now goes to the null device: no second error at interpreter exit
    stream.close()


def test_closed_stdout_object_is_a_plain_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from costwatch.output import OutputError, write_stdout

    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(OutputError, match="stdout is closed"):
        write_stdout("report")


# --- item 7: --output is atomic and never replaces an input -------------------------------


def test_output_to_a_folder_is_one_line(hostile_site: Path) -> None:
    Path("reports").mkdir()
    result = runner.invoke(app, ["links", "site", "-o", "reports"])
    assert result.exit_code == 2
    assert "is a folder" in one_error_line(result.stderr)


def test_output_under_a_file_is_one_line(hostile_site: Path) -> None:
    Path("plain").write_text("x")
    result = runner.invoke(app, ["links", "site", "-o", "plain/report.md"])
    assert result.exit_code == 2
    assert "cannot write plain/report.md" in one_error_line(result.stderr)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_output_to_an_unwritable_folder_keeps_the_old_file(hostile_site: Path) -> None:
    folder = Path("locked")
    folder.mkdir()
    (folder / "report.txt").write_text("previous report\n")
    folder.chmod(0o500)
    try:
        result = runner.invoke(app, ["links", "site", "-o", "locked/report.txt"])
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 2
    one_error_line(result.stderr)
    assert (folder / "report.txt").read_text() == "previous report\n"


def _small_file_limit() -> None:
    # A file-size limit makes the write fail part-way, as a full disk does (EFBIG instead
    # of ENOSPC); Python ignores SIGXFSZ, so the write raises instead of killing the process.
    resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "sarif"])
def test_a_write_that_fails_part_way_leaves_the_old_file(fmt: str, hostile_site: Path) -> None:
    previous = "the previous report, committed last week\n" * 200
    Path("report.out").write_text(previous)
    result = run(
        "links", "site", "-f", fmt, "-o", "report.out",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_small_file_limit,
    )  # fmt: skip
    assert result.returncode == 2
    assert "File too large" in one_error_line(result.stderr.decode())
    assert Path("report.out").read_text() == previous
    assert [p.name for p in Path().iterdir() if p.name.startswith(".report.out")] == []


def test_output_replaces_a_previous_report(hostile_site: Path) -> None:
    Path("report.json").write_text("old")
    result = runner.invoke(app, ["links", "site", "-f", "json", "-o", "report.json"])
    assert result.exit_code == 1
    assert json.loads(Path("report.json").read_text())["command"] == "links"


@pytest.mark.parametrize("target", ["costwatch.toml", "base.json", "site/one.html"])
def test_output_never_replaces_an_input(target: str, hostile_site: Path) -> None:
    Path("costwatch.toml").write_text('site = ["site"]\n')
    (hostile_site / "one.html").write_text("<p>hello</p>\n")
    assert runner.invoke(app, ["links", "--write-baseline", "base.json"]).exit_code == 0
    before = {p: p.read_bytes() for p in (Path(target), Path("costwatch.toml"))}
    args = ["links", "--baseline", "base.json", "-o", target]
    if target.startswith("site/"):
        args = ["links", target, "-o", target]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "this run reads" in one_error_line(result.stderr)
    assert {p: p.read_bytes() for p in before} == before


def test_write_baseline_cannot_be_the_output(hostile_site: Path) -> None:
    result = runner.invoke(app, ["links", "site", "--write-baseline", "b.json", "-o", "b.json"])
    assert result.exit_code == 2
    one_error_line(result.stderr)


# --- config: non-finite numbers, folders, paths outside the project ----------------------


@pytest.mark.parametrize(
    "line",
    [
        "warn_at_percent = nan",
        "api_timeout_seconds = inf",
        "[allowance]\negress_gib = nan",
        "[allowance]\nstorage_gib_months = inf",
        "[prices]\negress_gib = -inf",
        "[prices]\nclass_a_per_1000 = 1e300",
    ],
)
def test_non_finite_config_numbers_are_refused(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("costwatch.toml").write_text(line + "\n")
    result = runner.invoke(app, ["usage", "--project", "p"])
    assert result.exit_code == 2
    assert re.search(r"finite|negative|at most", one_error_line(result.stderr))


@pytest.mark.parametrize("name", ["costwatch.toml", "pyproject.toml"])
def test_a_config_that_is_a_folder_is_an_error(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).mkdir()
    result = runner.invoke(app, ["links", "."])
    assert result.exit_code == 2
    assert "is a folder" in one_error_line(result.stderr)


def test_a_dangling_config_link_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("costwatch.toml").symlink_to("nowhere.toml")
    result = runner.invoke(app, ["links", "."])
    assert result.exit_code == 2
    assert "a link to nothing" in one_error_line(result.stderr)


@pytest.mark.parametrize("entry", ["../..", "/", "up", "site/../.."])
def test_site_outside_the_project_is_refused(
    entry: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "site").mkdir(parents=True)
    (project / "up").symlink_to("/")
    monkeypatch.chdir(project)
    Path("costwatch.toml").write_text(f'site = ["{entry}"]\n')
    result = runner.invoke(app, ["links"])
    assert result.exit_code == 2
    assert "outside the project folder" in one_error_line(result.stderr)


def test_site_inside_the_project_and_explicit_paths_outside_are_fine(
    hostile_site: Path, tmp_path: Path
) -> None:
    Path("costwatch.toml").write_text('site = ["site", "./site/../site"]\n')
    assert runner.invoke(app, ["links", "--fail-on", "never"]).exit_code == 0
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "a.html").write_text("<p>hi</p>\n")
    assert runner.invoke(app, ["links", str(outside)]).exit_code == 0


# --- items 13, 14 end to end: a real Monitoring client ----------------------------------------

AS_OF = "2026-11-20T12:00:00Z"


@pytest.fixture()
def nan_monitoring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from datetime import datetime

    monkeypatch.chdir(tmp_path)
    period = billing_period(datetime.fromisoformat(AS_OF))
    hours = [period.start + timedelta(hours=h, minutes=30) for h in range(48)]
    egress = {h: (float("nan") if n == 3 else GIB) for n, h in enumerate(hours)}
    series = [
        bucket_series(EGRESS, "odd-b", "us-west1", egress, value_type="DOUBLE", project="p"),
        bucket_series(
            REQUESTS, "odd-b", "us-west1", {h: 30 for h in hours},
            labels={"method": "WriteObject", "response_code": "OK"}, project="p",
        ),
    ]  # fmt: skip
    with monitoring_emulator(MetricServiceEmulator("p", series)):
        yield


def test_nan_from_monitoring_is_unknown_never_summed(nan_monitoring: None) -> None:
    result = runner.invoke(app, ["usage", "--project", "p", "--as-of", AS_OF, "-f", "json"])
    assert result.exit_code == 2, result.stderr
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    usage = json.loads(result.stdout)["usage"]
    assert usage["egress"]["used_bytes"] is None
    assert "non-finite" in usage["egress"]["unknown"]
    assert usage["class_a_ops"]["used"] == 30 * 48
    assert "not checked: projects/p: egress unknown" in result.stderr
    table = runner.invoke(app, ["usage", "--project", "p", "--as-of", AS_OF])
    assert table.exit_code == 2
    egress_row = next(line for line in table.stdout.splitlines() if line.startswith("egress"))
    assert egress_row.split()[1:3] == ["unknown", "unknown"]


def test_an_allowance_of_zero_still_judges_end_to_end(nan_monitoring: None) -> None:
    Path("costwatch.toml").write_text("[allowance]\nclass_a_ops = 0\n")
    result = runner.invoke(app, ["usage", "--project", "p", "--as-of", AS_OF, "-f", "json"])
    findings = {f["rule_id"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings["CW202"]["severity"] == "error"
    assert "allowance of 0" in findings["CW202"]["message"]


# --- more bad input found by trying ---------------------------------------------------------


def test_a_baseline_that_is_a_named_pipe_does_not_hang(hostile_site: Path) -> None:
    os.mkfifo("base.json")
    result = runner.invoke(app, ["links", "site", "--baseline", "base.json"])
    assert result.exit_code == 2
    assert "not a regular file" in one_error_line(result.stderr)


def test_deeply_nested_inputs_are_plain_reasons(hostile_site: Path) -> None:
    Path("deep.json").write_text("[" * 100_000 + "]" * 100_000)
    result = runner.invoke(app, ["links", "site", "--baseline", "deep.json"])
    assert result.exit_code == 2
    assert "nested too deeply" in one_error_line(result.stderr)
    Path("deep.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = runner.invoke(app, ["links", "site", "--config", "deep.toml"])
    assert result.exit_code == 2
    assert "nested too deeply" in one_error_line(result.stderr)


def test_output_through_a_symlink_keeps_the_link(hostile_site: Path) -> None:
    Path("2026-11-28.md").write_text("old\n")
    Path("latest.md").symlink_to("2026-11-28.md")
    result = runner.invoke(app, ["links", "site", "-f", "markdown", "-o", "latest.md"])
    assert result.exit_code == 1
    assert Path("latest.md").is_symlink()
    assert Path("2026-11-28.md").read_text().startswith("# costwatch links")


def test_output_to_a_pipe_is_written_as_a_stream(hostile_site: Path) -> None:
    """``-o /dev/stderr`` or ``-o >(gzip > r.gz)``: the node is written, never replaced."""
    import threading

    os.mkfifo("pipe")
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(Path("pipe").read_bytes()))
    reader.start()
    result = runner.invoke(app, ["links", "site", "-f", "json", "-o", "pipe"])
    reader.join(timeout=30)
    assert result.exit_code == 1
    assert json.loads(received[0])["command"] == "links"
    assert Path("pipe").is_fifo()


# --- any file name, through the command line ------------------------------------------------

# Any character a POSIX file name can hold, but not "/" or NUL; names that are not UTF-8 are
# the scanner's to decode (tests/sources), so surrogates are left out here.
name_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(name_chars, min_size=1, max_size=40).filter(lambda n: n not in (".", "..")))
def test_any_file_name_is_shown_as_text_in_every_format(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        site.mkdir()
        try:
            (site / f"{name}.html").write_text('<img src="gs://b/x.png">\n')
        except OSError:
            return  # longer than the file system allows
        old = os.getcwd()
        os.chdir(folder)
        try:
            outputs = {
                fmt: runner.invoke(app, ["links", "site", "-f", fmt])
                for fmt in ("table", "markdown", "json", "sarif")
            }
        finally:
            os.chdir(old)
    for fmt, result in outputs.items():
        assert result.exit_code == 1, (fmt, result.stderr)
        if fmt in ("table", "markdown"):
            assert not TERMINAL_UNSAFE.search(result.stdout), (fmt, result.stdout)
    (finding,) = json.loads(outputs["json"].stdout)["findings"]
    assert finding["path"] == f"site/{name}.html"
    sarif = json.loads(outputs["sarif"].stdout)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert URI_REFERENCE.match(uri["uri"]) and unquote(uri["uri"]) == f"site/{name}.html"
    html = MarkdownIt("commonmark").enable("table").render(outputs["markdown"].stdout)
    assert "<img" not in html and "<a " not in html


def test_the_coloured_table_on_a_terminal_shows_no_foreign_sequence(hostile_site: Path) -> None:
    """On a real terminal (a pty) the table is coloured: rich's SGR codes, nothing else."""
    import pty

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    process = subprocess.Popen(
        [sys.executable, "-m", "costwatch", "links", "site"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 1
    screen = b"".join(chunks).decode("utf-8")
    assert "\x1b[" in screen  # coloured
    without_colour = re.sub(r"\x1b\[[0-9;]*m", "", screen).replace("\r\n", "\n")
    assert not TERMINAL_UNSAFE.search(without_colour), without_colour
    assert "\\x1b]8;;https:evil.example" in without_colour.replace("\n", "")


# --- server text and Monitoring labels reach the terminal as text ------------------------------


def test_server_error_text_is_shown_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costwatch.demo.cloud import env_var
    from tests.helpers import ScriptedServer, gcs_error

    monkeypatch.chdir(tmp_path)
    hostile = f"bad request {OSC8} \x1b[2J\u202e"
    server = ScriptedServer([(400, gcs_error(400, hostile))])
    with (
        server.running(),
        env_var("STORAGE_EMULATOR_HOST", server.url),
        monitoring_emulator(MetricServiceEmulator("p")),
    ):
        table = runner.invoke(app, ["audit", "-b", "some-b", "--project", "p"])
        markdown = runner.invoke(app, ["audit", "-b", "some-b", "--project", "p", "-f", "markdown"])
    assert table.exit_code == 2 and markdown.exit_code == 2
    for text in (table.stdout, table.stderr, markdown.stdout):
        assert not TERMINAL_UNSAFE.search(text.replace("\n", "")), text
    assert "\\x1b[2J" in table.stdout.replace("\n", "").replace(" ", "")


def test_monitoring_labels_are_shown_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    monkeypatch.chdir(tmp_path)
    period = billing_period(datetime.fromisoformat(AS_OF))
    hours = {period.start + timedelta(hours=h, minutes=30): 5 for h in range(24)}
    series = [
        bucket_series(EGRESS, "b\x1b[2J\u202e", "us-west1\x07", hours, project="p"),
        bucket_series(
            REQUESTS, "b2", "us-west1", hours,
            labels={"method": f"Odd{OSC8}", "response_code": "OK"}, project="p",
        ),
    ]  # fmt: skip
    with monitoring_emulator(MetricServiceEmulator("p", series)):
        for fmt in ("table", "markdown"):
            result = runner.invoke(app, ["usage", "--project", "p", "--as-of", AS_OF, "-f", fmt])
            assert not TERMINAL_UNSAFE.search(result.stdout.replace("\n", "")), result.stdout
            assert re.search(r"b\\+x1b\\*\[2J\\+u202e", result.stdout), result.stdout
            assert re.search(r"Odd\\+x1b\\*\]8", result.stdout), result.stdout


def test_every_stderr_line_is_escaped_whoever_writes_it(hostile_site: Path) -> None:
    """The command line routes stderr through one filter: a command's own warnings too."""
    code = (
        "import sys\n"
        "from costwatch.output import install_safe_stderr\n"
        "install_safe_stderr()\n"
        "sys.stderr.write('warning: a\\x1b[2J\\nb\\u202e\\n')\n"
        "print('c\\x9b', file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], stderr=subprocess.PIPE, timeout=60, check=True
    )
    assert result.stderr.decode() == "warning: a\\x1b[2J\nb\\u202e\nc\\x9b\n"
    shown = run("links", f"gone{OSC8}", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert shown.returncode == 2
    assert "\x1b" not in one_error_line(shown.stderr.decode())


def test_a_bucket_that_could_not_be_read_is_never_billed_from_the_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costwatch.demo.cloud import env_var
    from tests.helpers import ScriptedServer, gcs_error

    monkeypatch.chdir(tmp_path)
    server = ScriptedServer([(403, gcs_error(403, "denied", "forbidden"))])
    with (
        server.running(),
        env_var("STORAGE_EMULATOR_HOST", server.url),
        monitoring_emulator(MetricServiceEmulator("p")),
    ):
        table = runner.invoke(app, ["audit", "-b", "denied-b", "--project", "p"])
        document = runner.invoke(app, ["audit", "-b", "denied-b", "--project", "p", "-f", "json"])
    assert table.exit_code == 2
    assert "Buckets billed from the first byte" not in table.stdout
    unknown = table.stdout.split("Buckets whose location is unknown")[1].split("\n\n")[0]
    assert "denied-b" in unknown
    buckets = json.loads(document.stdout)["usage"]["buckets"]
    assert [(b["name"], b["free_region"]) for b in buckets] == [("denied-b", None)]


@pytest.mark.parametrize("command", ["audit", "usage"])
def test_audit_and_usage_refuse_to_overwrite_their_inputs_before_any_request(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("page.html").write_text("<p>hi</p>\n")
    Path("costwatch.toml").write_text('project = "p"\nsite = ["page.html"]\n')
    targets = ["costwatch.toml", "page.html"] if command == "audit" else ["costwatch.toml"]
    for target in targets:
        result = runner.invoke(app, [command, "-b", "some-b", "-o", target])
        assert result.exit_code == 2
        assert "this run reads" in one_error_line(result.stderr)
    assert Path("page.html").read_text() == "<p>hi</p>\n"


def test_a_nul_in_a_site_entry_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("costwatch.toml").write_text('site = ["a\\u0000b"]\n')
    result = runner.invoke(app, ["links"])
    assert result.exit_code == 2
    assert "NUL" in one_error_line(result.stderr)


as_of_texts = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda moment, minutes: (
            moment.isoformat() + f"{'+' if minutes >= 0 else '-'}"
            f"{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        ),
        st.datetimes(),
        st.integers(min_value=-1439, max_value=1439),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(as_of_texts)
def test_any_as_of_is_a_run_or_one_plain_line(text: str) -> None:
    if "\x00" in text or text.startswith("-"):
        return  # not passable as one argument
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "a.html").write_text("<p>hi</p>\n")
        result = runner.invoke(app, ["links", str(Path(folder) / "a.html"), "--as-of", text])
    if result.exit_code == 0:
        return
    assert result.exit_code == 2
    assert "--as-of" in one_error_line(result.stderr)


def test_a_config_key_with_a_line_break_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("costwatch.toml").write_text('"bad\\nkey\\u001b[2J" = 1\n')
    result = runner.invoke(app, ["links", "."])
    assert result.exit_code == 2
    assert "bad\\nkey\\x1b[2J" in one_error_line(result.stderr)


def test_output_dash_is_stdout(hostile_site: Path) -> None:
    result = runner.invoke(app, ["links", "site", "-f", "json", "-o", "-"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["command"] == "links"
    assert not Path("-").exists()
