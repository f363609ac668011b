"""Start-up: help and `rules` load no cloud library and no pydantic; options still convert
(and fail) exactly as Typer converts them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costwatch.cli import app
from costwatch.cli_startup import command_name, for_args
from costwatch.findings import FailOn
from costwatch.formats.base import OutputFormat

runner = CliRunner()
COMMANDS = sorted(command_name(c) for c in app.registered_commands)
HEAVY = ("google", "grpc", "pydantic", "requests", "costwatch.sources.gcs")


def loaded_after(argv: list[str], cwd: Path) -> list[str]:
    code = (
        "import sys\n"
        "from costwatch.cli import main\n"
        f"sys.argv = ['costwatch', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', sorted(m for m in sys.modules if m.startswith({HEAVY!r})), "
        "file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=60
    )
    line = [x for x in result.stderr.splitlines() if x.startswith("LOADED ")]
    assert line, result.stderr
    return eval(line[-1].removeprefix("LOADED "))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["rules"], ["rules", "--format", "markdown"]]
    + [[name, "--help"] for name in COMMANDS],
    ids=lambda argv: " ".join(argv),
)
def test_help_and_rules_load_no_cloud_library_and_no_pydantic(
    argv: list[str], tmp_path: Path
) -> None:
    assert loaded_after(argv, tmp_path) == []


def test_every_command_has_help() -> None:
    assert {"audit", "usage", "links", "rules", "demo"} <= set(COMMANDS)
    for name in COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage: " in result.stdout


@pytest.mark.parametrize("fmt", [OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.MARKDOWN])
def test_an_enum_option_converts(fmt: OutputFormat) -> None:
    result = runner.invoke(app, ["rules", "--format", fmt.value])
    assert result.exit_code == 0, result.output


def test_a_bad_choice_is_typers_own_error() -> None:
    result = runner.invoke(app, ["rules", "--format", "xml"])
    assert result.exit_code == 2
    assert "xml" in result.output
    assert "table" in result.output and "markdown" in result.output


def test_paths_lists_and_enums_reach_the_command(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text('<img src="https://drive.google.com/uc?id=1AbCdEf">\n')
    result = runner.invoke(
        app,
        [
            "links",
            str(site),
            "--exclude",
            "*.css",
            "--exclude",
            "*.map",
            "--fail-on",
            FailOn.NEVER.value,
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"CW3' in result.stdout


def test_an_unreadable_path_is_refused_as_typer_refuses_it(tmp_path: Path) -> None:
    import os

    locked = tmp_path / "locked.toml"
    locked.write_text("")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who reads anything (root)")
        result = runner.invoke(app, ["audit", "--config", str(locked)])
        assert result.exit_code == 2
        assert "not readable" in result.output
    finally:
        locked.chmod(0o600)


@pytest.mark.parametrize("args", [[], ["--version"], ["--help"], ["audti"], ["-x", "rules"]])
def test_anything_but_a_command_gets_the_whole_app(args: list[str]) -> None:
    assert for_args(app, args) is app


def test_a_command_run_is_the_only_one_built() -> None:
    lean = for_args(app, ["rules", "--format", "json"])
    assert [command_name(c) for c in lean.registered_commands] == ["rules"]
    assert len(app.registered_commands) == len(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_of_a_command_alone_reads_as_in_the_whole_app(name: str, tmp_path: Path) -> None:
    whole = runner.invoke(app, [name, "--help"])
    alone = subprocess.run(
        [sys.executable, "-m", "costwatch", name, "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "COLUMNS": "80", "TERM": "dumb"},
    )
    assert alone.returncode == 0
    # The same text (the runner and a process may wrap it at different widths).
    assert alone.stdout.split() == whole.stdout.split()


def _simple_params() -> list[tuple[str, str]]:
    """(command, parameter) for every parameter the lean conversion takes over."""
    import typer.main

    from costwatch.cli_startup import _Simple

    group = typer.main.get_command(app)
    ctx = group.make_context("costwatch", ["rules"], resilient_parsing=True)
    out = []
    for name in COMMANDS:
        command = group.get_command(ctx, name)
        assert command is not None
        out += [
            (name, p.name or "")
            for p in command.params
            if isinstance(getattr(p, "_runtime_param", None), _Simple)
        ]
    return out


SIMPLE = _simple_params()


def test_the_usual_options_are_converted_without_pydantic() -> None:
    names = {f"{c} --{p}" for c, p in SIMPLE}
    assert {"rules --fmt", "audit --bucket", "audit --config_path", "links --paths"} <= names


@pytest.mark.parametrize(("command", "name"), SIMPLE, ids=[f"{c}-{p}" for c, p in SIMPLE])
def test_lean_conversion_gives_what_typer_gives(command: str, name: str) -> None:
    """Any text, as one value or several: the same value, or the same error, as Typer's."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    typer_coercion = pytest.importorskip("typer._coercion")
    import typer.main

    group = typer.main.get_command(app)
    ctx = group.make_context("costwatch", [command], resilient_parsing=True)
    cmd = group.get_command(ctx, command)
    assert cmd is not None
    param = next(p for p in cmd.params if p.name == name)
    lean = param._runtime_param  # type: ignore[attr-defined]
    own = typer_coercion.build_runtime_param(param.type_descriptor)  # type: ignore[attr-defined]
    many = bool(param.multiple) or param.nargs == -1
    choices = [
        str(c.value) for c in getattr(param.type_descriptor.annotation, "__members__", {}).values()
    ]  # type: ignore[attr-defined]
    text = st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=12)
    one = st.one_of(text, st.sampled_from(choices)) if choices else text
    values = st.lists(one, max_size=3).map(tuple) if many else one

    def outcome(runtime: object, value: object) -> object:
        try:
            return ("ok", runtime.coerce(value, param=param, ctx=ctx))  # type: ignore[attr-defined]
        except Exception as exc:
            return ("error", type(exc).__name__, str(exc))

    @settings(max_examples=60, deadline=None)
    @given(values)
    def same(value: object) -> None:
        assert outcome(lean, value) == outcome(own, value)
        param._runtime_param = lean  # type: ignore[attr-defined]  # a fallback may replace it

    same()
