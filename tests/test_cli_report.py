"""``costwatch report`` and ``history`` end to end: emulated Cloud Storage and Monitoring."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import grpc
import pytest
from typer.testing import CliRunner

from costwatch.billing import billing_period
from costwatch.cli import app
from costwatch.demo.cloud import SeedBucket, storage_emulator
from costwatch.demo.monitoring import MetricServiceEmulator, bucket_series, monitoring_emulator
from costwatch.sources.monitoring import EGRESS, REQUESTS
from costwatch.units import GIB
from tests.helpers import PUBLIC_READ, bucket_resource

runner = CliRunner()
AS_OF = "2026-11-20T12:00:00Z"
GOOD = SeedBucket(bucket_resource("good-bucket"), PUBLIC_READ)
SOFT = SeedBucket(
    bucket_resource("soft-bucket", softDeletePolicy={"retentionDurationSeconds": "604800"}),
    PUBLIC_READ,
)


def usage_series(as_of: str, daily_gib: float = 2.0) -> list[object]:
    period = billing_period(datetime.fromisoformat(as_of))
    hours = [
        period.start + timedelta(hours=h, minutes=30)
        for h in range(int(period.elapsed / timedelta(hours=1)))
    ]
    return [
        bucket_series(
            EGRESS, "good-bucket", "us-west1", {h: daily_gib * GIB / 24 for h in hours}, project="p"
        ),
        bucket_series(
            REQUESTS,
            "good-bucket",
            "us-west1",
            {h: 20 for h in hours},
            labels={"method": "ReadObject", "response_code": "OK"},
            project="p",
        ),
    ]


@pytest.fixture()
def monitoring() -> Iterator[MetricServiceEmulator]:
    emulator = MetricServiceEmulator("p", usage_series(AS_OF), page_series=1)  # type: ignore[arg-type]
    with monitoring_emulator(emulator):
        yield emulator


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")
    (tmp_path / "costwatch.toml").write_text(
        'project = "p"\nbuckets = ["good-bucket", "soft-bucket"]\n', encoding="utf-8"
    )
    return tmp_path


@contextlib.contextmanager
def cloud(*buckets: SeedBucket) -> Iterator[None]:
    with storage_emulator(list(buckets or (GOOD, SOFT))):
        yield


def report(*args: str) -> object:
    return runner.invoke(app, ["report", *args])


def test_report_writes_the_folder_and_a_short_summary(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    with cloud():
        result = report("--as-of", AS_OF, "--fail-on", "warning")
    assert result.exit_code == 1, result.stdout + result.stderr
    folder = site / "reports"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        ".gitignore",
        ".lock",
        "2026-11-20T1200Z.json",
        "history.jsonl",
        "index.html",
        "latest.html",
        "latest.json",
        "latest.md",
        "latest.svg",
    ]
    latest = json.loads((folder / "latest.json").read_text())
    assert latest == json.loads((folder / "2026-11-20T1200Z.json").read_text())
    assert latest["schema_version"] == 1 and latest["command"] == "audit"
    assert latest["changes"] == {"since": None, "new": [], "resolved": [], "unchanged": 0}
    assert latest["run"]["exit_code"] == 1 and latest["run"]["status"] == "complete"
    assert "![Egress this month" in (folder / "latest.md").read_text()
    assert "(latest.svg)" in (folder / "latest.md").read_text()
    assert (folder / "latest.svg").read_text().startswith("<svg xmlns=")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("costwatch report as of 2026-11-20T12:00:00Z: 0 errors, 1 warnings")
    assert any(line.startswith("egress: ") and "GiB used, forecast" in line for line in lines)
    assert lines[-1].startswith(f"files: {folder / 'latest.html'}")
    assert len(lines) <= 8


def test_second_run_reports_new_and_resolved(site: Path, monitoring: MetricServiceEmulator) -> None:
    with cloud():
        assert report("--as-of", AS_OF).exit_code == 0
    first_line = (site / "reports" / "history.jsonl").read_text()
    fixed = SeedBucket(bucket_resource("soft-bucket"), PUBLIC_READ)
    listing = SeedBucket(
        bucket_resource("good-bucket"),
        [{"role": "roles/storage.legacyBucketReader", "members": ["allUsers"]}, *PUBLIC_READ],
    )
    with cloud(listing, fixed):
        result = report("--as-of", "2026-11-20T13:00:00Z")
    assert result.exit_code == 0, result.stderr
    assert "since 2026-11-20T12:00:00Z: 1 new, 1 resolved, 0 unchanged" in result.stdout
    assert "  + warning CW113 gs://good-bucket" in result.stdout
    assert "  - warning CW106 gs://soft-bucket" in result.stdout
    changes = json.loads((site / "reports" / "latest.json").read_text())["changes"]
    assert changes["since"] == "2026-11-20T12:00:00Z"
    lines = (site / "reports" / "history.jsonl").read_text()
    assert lines.startswith(first_line) and lines.count("\n") == 2  # appended, not rewritten
    assert [f["rule_id"] for f in changes["new"]] == ["CW113"]
    assert [f["rule_id"] for f in changes["resolved"]] == ["CW106"]
    assert set(changes["new"][0]) >= {"rule_id", "severity", "resource", "message", "fingerprint"}


def test_quiet_prints_only_when_something_changed(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    with cloud():
        first = report("--as-of", AS_OF, "--quiet")
        second = report("--as-of", "2026-11-20T13:00:00Z", "--quiet")
    assert first.stdout.startswith("costwatch report")  # the first run is news
    assert second.exit_code == 0
    assert second.stdout == ""


def test_backfill_sorts_into_place_and_compares_with_the_record_before(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    with cloud():
        assert report("--as-of", AS_OF).exit_code == 0
        assert report("--as-of", "2026-11-20T14:00:00Z").exit_code == 0
    with cloud(GOOD):
        result = report("--as-of", "2026-11-20T13:00:00Z", "-b", "good-bucket")
    assert result.exit_code == 0, result.stderr
    folder = site / "reports"
    record = json.loads((folder / "2026-11-20T1300Z.json").read_text())
    assert record["changes"]["since"] == "2026-11-20T12:00:00Z"
    assert [f["rule_id"] for f in record["changes"]["resolved"]] == ["CW106"]
    # latest.* stay with the newest run
    assert json.loads((folder / "latest.json").read_text())["as_of"] == "2026-11-20T14:00:00Z"
    history = json.loads(runner.invoke(app, ["history", "--format", "json"]).stdout)
    assert [r["as_of"] for r in history["runs"]] == [
        "2026-11-20T12:00:00Z",
        "2026-11-20T13:00:00Z",
        "2026-11-20T14:00:00Z",
    ]


def test_history_json_shape_and_null_for_unknown(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    with cloud():
        assert report("--as-of", AS_OF).exit_code == 0
        monitoring.fail_next(grpc.StatusCode.PERMISSION_DENIED, "denied", times=50)
        result = report("--as-of", "2026-11-20T13:00:00Z")
    assert result.exit_code == 2
    assert "egress: unknown" in result.stdout
    assert "not checked:" in result.stderr
    history = runner.invoke(app, ["history", "--format", "json"])
    assert history.exit_code == 0, history.stderr
    data = json.loads(history.stdout)
    assert set(data) == {"runs", "months"}
    first, second = data["runs"]
    assert set(first) == {
        "as_of", "generated_at", "status", "exit_code", "summary", "egress_used_bytes",
        "egress_forecast_bytes", "egress_allowance_bytes", "class_a_used", "class_b_used",
        "storage_gib_months",
    }  # fmt: skip
    assert first["status"] == "complete" and first["exit_code"] == 0
    assert first["egress_used_bytes"] > 0 and first["class_b_used"] > 0
    assert first["summary"] == {"error": 0, "warning": 1, "note": 0}
    assert second["status"] == "incomplete" and second["exit_code"] == 2
    for key in ("egress_used_bytes", "egress_forecast_bytes", "class_a_used", "class_b_used"):
        assert second[key] is None
    (month,) = data["months"]
    assert set(month) == {
        "month",
        "runs",
        *(set(first) - {"as_of", "generated_at", "status", "exit_code", "summary"}),
    }
    assert month["month"] == "2026-11" and month["runs"] == 2
    assert month["egress_used_bytes"] is None
    csv_text = runner.invoke(app, ["history", "--format", "csv"]).stdout
    header, _row1, row2 = csv_text.splitlines()
    assert header.startswith("as_of,generated_at,status,exit_code,error,warning,note,")
    assert ",incomplete,2,0,1,0,,," in row2
    table = runner.invoke(app, ["history"]).stdout
    assert "unknown" in table and "incomplete" in table


def test_corrupt_truncated_and_foreign_files_are_reported_and_kept(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    with cloud():
        assert report("--as-of", AS_OF).exit_code == 0
        assert report("--as-of", "2026-11-20T13:00:00Z").exit_code == 0
    folder = site / "reports"
    record = folder / "2026-11-20T1300Z.json"
    record.write_text(record.read_text()[:500])  # truncated
    (folder / "2026-11-19T0000Z.json").write_text('{"hello": "world"}')  # foreign
    (folder / "notes.json").write_text("[]")
    (folder / "2026-11-18T0000Z.json").write_bytes(b"\xff\xfe\x00garbage")
    result = runner.invoke(app, ["history", "--format", "json"])
    assert result.exit_code == 0
    assert [r["as_of"] for r in json.loads(result.stdout)["runs"]] == ["2026-11-20T12:00:00Z"]
    for name in ("2026-11-20T1300Z.json", "2026-11-19T0000Z.json", "notes.json", "2026-11-18"):
        assert name in result.stderr
    with cloud():
        again = report("--as-of", "2026-11-20T14:00:00Z")
    assert again.exit_code == 0
    assert "2026-11-20T1300Z.json" in again.stderr
    # compared with the last readable record
    assert json.loads((folder / "latest.json").read_text())["changes"]["since"] == AS_OF
    for name in ("2026-11-20T1300Z.json", "2026-11-19T0000Z.json", "notes.json"):
        assert (folder / name).exists()


def test_keep_days_prunes_only_its_own_old_records(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    folder = site / "reports"
    with cloud():
        for as_of in ("2026-10-05T12:00:00Z", "2026-10-20T12:00:00Z", "2026-11-10T12:00:00Z"):
            monitoring.series = usage_series(as_of)  # type: ignore[assignment]
            assert report("--as-of", as_of).exit_code in (0, 1)
        (folder / "2026-10-01T0000Z.json").write_text("not json")
        (folder / "mine.txt").write_text("keep me")
        monitoring.series = usage_series(AS_OF)  # type: ignore[assignment]
        result = report("--as-of", AS_OF, "--keep-days", "7")
    assert result.exit_code == 0, result.stderr
    left = sorted(p.name for p in folder.glob("2026-*.json"))
    # 10-05 pruned; 10-20 kept as October's last run; 11-10 pruned; broken file untouched
    assert left == ["2026-10-01T0000Z.json", "2026-10-20T1200Z.json", "2026-11-20T1200Z.json"]
    assert (folder / "mine.txt").exists()
    lines = (folder / "history.jsonl").read_text().splitlines()
    assert [json.loads(x)["record"] for x in lines] == [
        "2026-10-20T1200Z.json",
        "2026-11-20T1200Z.json",
    ]


def test_keep_days_from_config_and_reports_dir(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    (site / "costwatch.toml").write_text(
        'project = "p"\nbuckets = ["good-bucket"]\nreports_dir = "out/daily"\n'
        "report_keep_days = 30\n"
    )
    with cloud():
        assert report("--as-of", AS_OF).exit_code == 0
    assert (site / "out" / "daily" / "latest.json").exists()
    result = runner.invoke(app, ["history", "--format", "json"])
    assert len(json.loads(result.stdout)["runs"]) == 1


def test_dir_that_is_a_file_is_one_line_exit_2(site: Path) -> None:
    (site / "afile").write_text("x")
    result = report("--dir", "afile", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.strip() == "costwatch: error: --dir afile is a file, not a folder"
    assert result.stdout == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_dir_is_exit_2(site: Path) -> None:
    folder = site / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    result = report("--dir", "ro", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "not writable" in result.stderr


def test_unwritable_dir_as_root_too(site: Path, monitoring: MetricServiceEmulator) -> None:
    """A read-only bind of the folder: even root cannot write there."""
    folder = site / "r"
    with cloud():
        assert report("--dir", "r", "--as-of", AS_OF).exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with read_only(folder) as ok:
        if not ok:
            pytest.skip("cannot mount a read-only folder here")
        with cloud():
            result = report("--dir", "r", "--as-of", "2026-11-20T13:00:00Z")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("costwatch: error: ")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[bool]:
    if shutil.which("mount") is None or os.geteuid() != 0:
        yield False
        return
    bind = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], timeout=20)
    if bind.returncode != 0:
        yield False
        return
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], timeout=20)
        yield True
    finally:
        subprocess.run(["umount", str(folder)], timeout=20)


def test_full_disk_is_exit_2_and_history_untouched(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    folder = site / "tiny"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)], timeout=20
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with cloud():
            assert report("--dir", "tiny", "--as-of", AS_OF).exit_code == 0
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        with open(folder / "filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
            for _ in range(1000):
                filler.write(b"\0" * 4096)
        with cloud():
            result = report("--dir", "tiny", "--as-of", "2026-11-20T13:00:00Z")
        assert result.exit_code == 2
        assert result.stderr.startswith("costwatch: error: cannot write reports folder")
        assert "No space left on device" in result.stderr
        assert result.stderr.count("\n") == 1
        after = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "filler"}
        for name, data in before.items():
            assert after[name] == data
        assert not [n for n in after if n.endswith(".tmp")]
    finally:
        subprocess.run(["umount", str(folder)], timeout=20)


def test_second_writer_waits_then_exits_2(site: Path) -> None:
    folder = site / "reports"
    folder.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(folder / '.lock')!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(20)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = report("--as-of", AS_OF, "--wait", "0.3")
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert result.exit_code == 2
    assert result.stderr == f"costwatch: error: another costwatch report is writing {folder}\n"


def test_notify_failure_is_a_warning_and_keeps_the_exit_code(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    from tests.helpers import ScriptedServer

    server = ScriptedServer([(500, {"error": "boom"})])
    with server.running(), cloud():
        result = report(
            "--as-of", AS_OF, "--fail-on", "warning", "--notify", server.url + "/hook/SECRETKEY"
        )
    assert result.exit_code == 1
    assert "costwatch: warning: notification to http://127.0.0.1 failed" in result.stderr
    assert "SECRETKEY" not in result.stderr + result.stdout
    assert len(server.requests) == 3
    assert (site / "reports" / "latest.json").exists()


def test_notify_posts_text_when_something_is_new(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    from tests.test_notify import Recorder

    with Recorder() as hook, cloud():
        assert report("--as-of", AS_OF, "--notify", hook.url).exit_code == 0
        first = len(hook.bodies)
        assert report("--as-of", "2026-11-20T13:00:00Z", "--notify", hook.url).exit_code == 0
    assert first == 1  # the first run: its findings are new
    assert len(hook.bodies) == 1  # nothing new the second time
    text = hook.bodies[0]["text"]
    assert "CW106" in text and "egress:" in text


def test_bad_notify_url_is_exit_2(site: Path) -> None:
    result = report("--notify", "ftp://x", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "--notify needs an http:// or https:// webhook URL" in result.stderr


def test_history_of_a_missing_folder_is_exit_2(site: Path) -> None:
    result = runner.invoke(app, ["history", "--dir", "nowhere"])
    assert result.exit_code == 2
    assert "reports folder nowhere does not exist" in result.stderr


def test_bad_report_config_keys_are_exit_2(site: Path) -> None:
    (site / "costwatch.toml").write_text('project = "p"\nreport_keep_days = 0\n')
    result = report("--as-of", AS_OF)
    assert result.exit_code == 2
    assert "report_keep_days must be a whole number of days" in result.stderr
    (site / "costwatch.toml").write_text('project = "p"\nreports_dir = 3\n')
    result = report("--as-of", AS_OF)
    assert result.exit_code == 2
    assert "reports_dir must be a string" in result.stderr


def test_killing_a_run_at_any_moment_leaves_every_file_whole(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    """SIGKILL a report process at several moments; every record and latest.* still parse."""
    from costwatch.history import load_record, read_history

    folder = site / "reports"
    with cloud():
        assert report("--as-of", AS_OF).exit_code == 0
        argv = [sys.executable, "-m", "costwatch", "report", "--as-of"]
        for step in range(8):
            moment = f"2026-11-20T{13 + step}:00:00Z"
            process = subprocess.Popen(
                [*argv, moment], cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                process.wait(timeout=0.3 + 0.15 * step)
            except subprocess.TimeoutExpired:
                process.kill()
            process.wait(timeout=30)
            for path in folder.glob("2*.json"):
                load_record(path)
            for name in ("latest.json",):
                load_record(folder / name)
            json.loads((folder / "latest.json").read_text())
            assert "</html>" in (folder / "index.html").read_text()
            found = read_history(folder)
            assert found.problems == []
            assert found.runs[0]["as_of"] == AS_OF


def test_report_makes_the_same_api_calls_as_audit(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    with cloud():
        assert runner.invoke(app, ["audit", "--as-of", AS_OF, "-f", "json"]).exit_code == 0
        audit_calls = len(monitoring.requests)
        assert report("--as-of", AS_OF).exit_code == 0
    assert len(monitoring.requests) == 2 * audit_calls
    # one query per metric for the whole project, whatever the number of buckets or days
    assert audit_calls <= 6


def test_forecast_crossing_the_allowance_is_news(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    from tests.test_notify import Recorder

    with cloud():
        assert report("--as-of", AS_OF).exit_code == 0
        monitoring.series = usage_series("2026-11-20T13:00:00Z", daily_gib=8.0)  # type: ignore[assignment]
        with Recorder() as hook:
            result = report("--as-of", "2026-11-20T13:00:00Z", "--quiet", "--notify", hook.url)
    assert "! egress forecast reached the allowance" in result.stdout
    assert result.stdout.startswith("costwatch report")  # --quiet still speaks
    assert len(hook.bodies) == 1
    assert "egress forecast reached the allowance" in hook.bodies[0]["text"]


def test_backfill_with_keep_days_keeps_itself_and_newer_runs(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    folder = site / "reports"
    with cloud():
        assert report("--as-of", AS_OF).exit_code == 0
        assert report("--as-of", "2026-11-10T12:00:00Z", "--keep-days", "3").exit_code == 0
    assert sorted(p.name for p in folder.glob("2*.json")) == [
        "2026-11-10T1200Z.json",
        "2026-11-20T1200Z.json",
    ]


def test_a_run_without_as_of_is_named_by_its_own_moment(
    site: Path, monitoring: MetricServiceEmulator
) -> None:
    from costwatch.history import record_stem
    from costwatch.units import parse_iso

    with cloud():
        result = report()
    assert result.exit_code in (0, 1, 2), result.stderr
    (record,) = (site / "reports").glob("2*.json")
    data = json.loads(record.read_text())
    assert record.name == record_stem(parse_iso(data["as_of"])) + ".json"
    assert data["as_of"][:16] <= data["generated_at"][:16]
