"""Find the files ``check`` reads, and pull shell text out of each kind of file.

Kinds: Terraform (``*.tf``), plans (JSON with ``format_version``, any name), shell scripts
(``*.sh``, ``*.bash``, or a ``#!`` line naming a shell), Makefiles, ``package.json`` scripts,
GitHub Actions workflows and composite actions (``run:``), GitLab CI (``script:``) and Cloud
Build (``steps``).
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from costwatch.sources.iac.records import Harvest, Unchecked
from costwatch.sources.iac.shell import read_shell

SKIP_DIRS = frozenset(
    {".git", ".terraform", "node_modules", ".venv", "venv", "__pycache__", ".terragrunt-cache"}
)
MAX_BYTES = 2 * 1024 * 1024
_SHELL_SUFFIXES = (".sh", ".bash", ".zsh", ".ksh")
_MAKEFILES = frozenset({"Makefile", "makefile", "GNUmakefile"})
_SHEBANG = re.compile(rb"^#![^\n]*\b(ba|z|k|da)?sh\b")
_NEEDLE = re.compile(rb"\b(gcloud|gsutil)\b")


class FileKind(StrEnum):
    TERRAFORM = "terraform"
    PLAN = "plan"
    SHELL = "shell"
    MAKEFILE = "makefile"
    PACKAGE_JSON = "package.json"
    WORKFLOW = "workflow"
    GITLAB = "gitlab-ci"
    CLOUDBUILD = "cloudbuild"


def kind_of(path: Path) -> FileKind | None:
    """The kind a file is by its name; JSON files are told plans by content later."""
    name = path.name
    if name.endswith(".tf"):
        return FileKind.TERRAFORM
    if name.endswith(_SHELL_SUFFIXES):
        return FileKind.SHELL
    if name in _MAKEFILES or name.endswith(".mk"):
        return FileKind.MAKEFILE
    if name == "package.json":
        return FileKind.PACKAGE_JSON
    if name.startswith("cloudbuild") and name.endswith((".yaml", ".yml", ".json")):
        return FileKind.CLOUDBUILD
    if name == ".gitlab-ci.yml" or name.endswith(".gitlab-ci.yml"):
        return FileKind.GITLAB
    if name.endswith((".yml", ".yaml")):
        parts = path.parts
        if ".github" in parts and ("workflows" in parts or name in ("action.yml", "action.yaml")):
            return FileKind.WORKFLOW
        if name in ("action.yml", "action.yaml"):
            return FileKind.WORKFLOW
        return None
    if name.endswith(".json"):
        return FileKind.PLAN  # confirmed by content
    if "." not in name:
        return FileKind.SHELL  # confirmed by a #! line
    return None


@dataclass
class FileSet:
    """Files by kind, and folders that could not be walked."""

    files: dict[FileKind, list[Path]] = field(default_factory=dict)
    unreadable: list[Unchecked] = field(default_factory=list)
    walked: int = 0


def find_files(paths: Sequence[Path], exclude: Sequence[str] = ()) -> FileSet:
    """Every file under ``paths`` that ``check`` may read, grouped by kind, in a stable order."""
    found = FileSet()

    def add(path: Path, named: bool) -> None:
        kind = kind_of(path)
        if kind is None:
            return
        if any(path.match(pattern) for pattern in exclude):
            return
        if kind is FileKind.SHELL and "." not in path.name and not named and not _has_shebang(path):
            return
        found.files.setdefault(kind, []).append(path)

    for root in paths:
        if root.is_file():
            found.walked += 1
            add(root, True)
            continue

        def unreadable(error: OSError) -> None:
            shown = Path(error.filename or "").as_posix()
            found.unreadable.append(Unchecked(shown, None, f"cannot list: {error.strerror}", True))

        for folder, dirs, names in os.walk(root, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(names):
                found.walked += 1
                add(Path(folder) / name, False)
    for items in found.files.values():
        items.sort()
    return found


def _has_shebang(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return bool(_SHEBANG.match(handle.read(128)))
    except OSError:
        return False


def read_text(path: Path, shown: str, harvest: Harvest) -> str | None:
    """A file's text, or None with the reason recorded (binary, too large, not UTF-8)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            harvest.unchecked.append(Unchecked(shown, None, "larger than 2 MiB", True))
            return None
        data = path.read_bytes()
    except OSError as exc:
        harvest.unchecked.append(Unchecked(shown, None, f"cannot read: {exc.strerror}", True))
        return None
    if b"\0" in data:
        harvest.unchecked.append(Unchecked(shown, None, "binary file, not text", True))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        harvest.unchecked.append(Unchecked(shown, line, "not UTF-8 text", True))
        return None


def read_script(path: Path, shown: str, kind: FileKind, harvest: Harvest) -> None:
    """Bucket commands in one script-like file, appended to ``harvest``."""
    text = read_text(path, shown, harvest)
    harvest.files_read += 1
    if text is None or not _NEEDLE.search(text.encode("utf-8", "replace")):
        if text is not None and kind is FileKind.SHELL:
            _check_quotes(text, shown, harvest)
        return
    if kind is FileKind.SHELL:
        _check_quotes(text, shown, harvest)
        read_shell(text, shown, harvest=harvest)
    elif kind is FileKind.MAKEFILE:
        for recipe, line in makefile_recipes(text):
            read_shell(recipe, shown, line, make=True, harvest=harvest)
    elif kind is FileKind.PACKAGE_JSON:
        for script, line in package_scripts(text, shown, harvest):
            read_shell(script, shown, line, harvest=harvest)
    else:
        for script, line in yaml_scripts(text, shown, kind, harvest):
            read_shell(script, shown, line, harvest=harvest)


def _check_quotes(text: str, shown: str, harvest: Harvest) -> None:
    """A script whose quotes never balance cannot be read as a shell reads it."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        for _ in lexer:
            pass
    except ValueError:
        if not any(
            u.path == shown and u.reason.startswith("unbalanced") for u in harvest.unchecked
        ):
            harvest.unchecked.append(
                Unchecked(shown, None, "unbalanced quotes: the script cannot be read", True)
            )


def makefile_recipes(text: str) -> Iterator[tuple[str, int]]:
    """Recipe lines (tab-indented, with continuations) and their first line numbers."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        start = index + 1
        index += 1
        if not line.startswith("\t"):
            continue
        parts = [line]
        while parts[-1].rstrip().endswith("\\") and index < len(lines):
            parts.append(lines[index])
            index += 1
        yield "\n".join(parts), start


def package_scripts(text: str, shown: str, harvest: Harvest) -> Iterator[tuple[str, int]]:
    """``scripts`` entries of a package.json, with the line each key is on."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        harvest.unchecked.append(Unchecked(shown, exc.lineno, f"not valid JSON: {exc.msg}", True))
        return
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return
    lines = text.splitlines()
    for name, script in scripts.items():
        if not isinstance(script, str):
            continue
        needle = json.dumps(name)
        line = next((n + 1 for n, t in enumerate(lines) if needle in t), 1)
        yield script, line


# --- YAML -----------------------------------------------------------------------------------

_SCRIPT_KEYS = {
    FileKind.WORKFLOW: frozenset({"run"}),
    FileKind.GITLAB: frozenset({"script", "before_script", "after_script"}),
    FileKind.CLOUDBUILD: frozenset({"script"}),
}


def yaml_scripts(
    text: str, shown: str, kind: FileKind, harvest: Harvest
) -> Iterator[tuple[str, int]]:
    """Shell text in a workflow, GitLab CI or Cloud Build file, with its first line."""
    import yaml

    try:
        if kind is FileKind.CLOUDBUILD and shown.endswith(".json"):
            root: Any = _json_node(text)
        else:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        harvest.unchecked.append(Unchecked(shown, line, "does not parse as YAML", True))
        return
    if root is None:
        return
    keys = _SCRIPT_KEYS[kind]
    yield from _walk_yaml(root, keys, 0)
    if kind is FileKind.CLOUDBUILD:
        yield from _cloudbuild_args(root)


def _json_node(text: str) -> Any:
    """A Cloud Build JSON file as YAML nodes (JSON is YAML), so one walker serves both."""
    import yaml

    json.loads(text)  # clear error for invalid JSON
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _scalar_text(node: Any) -> tuple[str, int] | None:
    import yaml

    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        line = node.start_mark.line + 1
        if node.style in ("|", ">"):
            line += 1  # a block scalar's text starts on the next line
        return node.value, line
    return None


def _walk_yaml(node: Any, keys: frozenset[str], depth: int) -> Iterator[tuple[str, int]]:
    import yaml

    if depth > 40:
        return
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in keys:
                found = _scalar_text(value)
                if found:
                    yield found
                elif isinstance(value, yaml.SequenceNode):
                    for item in value.value:
                        found = _scalar_text(item)
                        if found:
                            yield found
                continue
            yield from _walk_yaml(value, keys, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk_yaml(item, keys, depth + 1)


def _cloudbuild_args(root: Any) -> Iterator[tuple[str, int]]:
    """Cloud Build steps: ``name`` (builder), ``entrypoint`` and ``args`` make one command."""
    import yaml

    if not isinstance(root, yaml.MappingNode):
        return
    steps = next((v for k, v in root.value if getattr(k, "value", None) == "steps"), None)
    if not isinstance(steps, yaml.SequenceNode):
        return
    for step in steps.value:
        if not isinstance(step, yaml.MappingNode):
            continue
        fields = {getattr(k, "value", ""): v for k, v in step.value}
        args = fields.get("args")
        if not isinstance(args, yaml.SequenceNode):
            continue
        words = [str(a.value) for a in args.value if isinstance(a, yaml.ScalarNode)]
        builder = str(getattr(fields.get("name"), "value", ""))
        entry = str(getattr(fields.get("entrypoint"), "value", ""))
        line = args.start_mark.line + 1
        if entry in ("bash", "sh", "/bin/bash", "/bin/sh") and "-c" in words:
            position = words.index("-c")
            found = _scalar_text(args.value[position + 1]) if position + 1 < len(words) else None
            if found:
                yield found
            continue
        program = entry or builder.rsplit("/", 1)[-1].split(":")[0]
        if program in ("gcloud", "gsutil"):
            # Cloud Build passes args as separate words; quote them for the shell reader.
            yield " ".join([program, *(shlex.quote(w) for w in words)]), line
