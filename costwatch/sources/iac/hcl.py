"""Terraform source: buckets and public grants in ``*.tf``, with the values Terraform would use.

Parsed with python-hcl2 8.x, which keeps string quotes (``'"US"'``) and writes every
expression as ``${...}``. Its ``with_meta`` option adds no line numbers in 8.1, so lines come
from the parse tree's positions instead. Values are resolved the way Terraform does for the
cases a static reader can follow: literals, ``var.x`` (defaults, ``terraform.tfvars``,
``*.auto.tfvars``, ``-var-file``, ``-var``, in Terraform's precedence), ``local.x``, and
local modules with their inputs. Anything else stays unknown with its expression.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from costwatch.model import BUCKET_ACL_ROLE, OBJECT_ACL_ROLE
from costwatch.sources.iac.records import (
    AUTOCLASS,
    DATA_LOCATIONS,
    LIFECYCLE_DELETES_NONCURRENT,
    LOCATION,
    PUBLIC_ACCESS_PREVENTION,
    REQUESTER_PAYS,
    RPO,
    SOFT_DELETE_SECONDS,
    STORAGE_CLASS,
    UNIFORM_ACCESS,
    VERSIONING,
    Action,
    BucketRecord,
    GrantKind,
    GrantRecord,
    Harvest,
    Origin,
    SourceKind,
    Unchecked,
    Value,
)

MAX_MODULE_DEPTH = 8
MAX_FILE_BYTES = 2 * 1024 * 1024

BUCKET = "google_storage_bucket"
IAM_MEMBER = "google_storage_bucket_iam_member"
IAM_BINDING = "google_storage_bucket_iam_binding"
IAM_POLICY = "google_storage_bucket_iam_policy"
BUCKET_ACL = "google_storage_bucket_acl"
ACCESS_CONTROL = "google_storage_bucket_access_control"
DEFAULT_OBJECT_ACL = "google_storage_default_object_access_control"
RESOURCE_TYPES = frozenset(
    {BUCKET, IAM_MEMBER, IAM_BINDING, IAM_POLICY, BUCKET_ACL, ACCESS_CONTROL, DEFAULT_OBJECT_ACL}
)

# predefined_acl values that grant anonymous read (gsutil/JSON API names).
PUBLIC_PREDEFINED_ACL = {"publicRead": "READER", "publicReadWrite": "WRITER"}

_REF = re.compile(r"^\$\{([^{}]*)\}$")
_INTERPOLATION = re.compile(r"\$\{([^{}]*)\}")
_SIMPLE_REF = re.compile(r"^(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)$")
_RESOURCE_REF = re.compile(
    r"^(?:data\.)?(google_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.([a-z_]+)$"
)
_NAME_LABEL = re.compile(r'^"(.*)"$', re.S)


class Unresolved(Exception):
    """An expression whose value a static reader cannot know; the message is the expression."""


@dataclass(frozen=True)
class Block:
    """One top-level block: its type, labels without quotes, body, and line range."""

    kind: str
    labels: tuple[str, ...]
    body: dict[str, Any]
    line: int
    end_line: int
    path: str


@dataclass
class ModuleSource:
    """The parsed ``.tf`` files of one folder."""

    folder: Path
    blocks: list[Block] = field(default_factory=list)
    unreadable: list[Unchecked] = field(default_factory=list)


def parse_blocks(text: str, path: str) -> list[Block]:
    """Top-level blocks of one ``.tf`` file; raises ``ValueError`` when it does not parse."""
    import hcl2
    from hcl2.rules.base import BlockRule

    try:
        tree = hcl2.parses(text)
    except Exception as exc:  # lark raises many unrelated types; all mean "does not parse"
        raise ValueError(_parse_error(exc)) from exc
    options = hcl2.SerializationOptions(with_comments=False, explicit_blocks=False)
    blocks = []
    for child in tree.body.children:
        if not isinstance(child, BlockRule):
            continue
        labels = tuple(_unquote_label(label.serialize()) for label in child.labels)
        meta = child._meta
        blocks.append(
            Block(
                labels[0],
                labels[1:],
                child.body.serialize(options),
                int(getattr(meta, "line", 0) or 0),
                int(getattr(meta, "end_line", 0) or 0),
                path,
            )
        )
    return blocks


def _parse_error(exc: Exception) -> str:
    line = getattr(exc, "line", None)
    column = getattr(exc, "column", None)
    where = f" at line {line}, column {column}" if line else ""
    return f"does not parse as HCL{where}"


def _unquote_label(label: Any) -> str:
    text = str(label)
    match = _NAME_LABEL.match(text)
    return match.group(1) if match else text


# --- values ---------------------------------------------------------------------------------


@dataclass
class Scope:
    """What ``var.x`` and ``local.x`` mean inside one module instance."""

    variables: dict[str, Value]
    local_exprs: dict[str, Any]
    locals_done: dict[str, Value] = field(default_factory=dict)
    resolving: set[str] = field(default_factory=set)

    def local(self, name: str) -> Value:
        if name in self.locals_done:
            return self.locals_done[name]
        if name not in self.local_exprs:
            return Value.unknown(f"local.{name}: not defined")
        if name in self.resolving:
            return Value.unknown(f"local.{name}: refers to itself")
        self.resolving.add(name)
        try:
            value = evaluate(self.local_exprs[name], self)
        finally:
            self.resolving.discard(name)
        self.locals_done[name] = value
        return value


def unquote(text: str) -> str:
    """The value of an HCL string literal body (quotes already removed)."""
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def evaluate(raw: Any, scope: Scope) -> Value:
    """The value of one serialized expression, or unknown with the expression as its note."""
    if isinstance(raw, bool | int | float) or raw is None:
        return Value(raw if not isinstance(raw, float) else int(raw))
    if isinstance(raw, list):
        items = [evaluate(item, scope) for item in raw]
        for item in items:
            if item.is_unknown:
                return item
        return Value(tuple(str(item.value) for item in items))
    if isinstance(raw, dict):
        return Value.unknown("an object")
    text = str(raw)
    whole = _REF.match(text)
    if whole:
        return _reference(whole.group(1).strip(), scope)
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        body = text[1:-1]
        if body.startswith("<<"):
            return Value.unknown("a heredoc")
        return _template(body, scope)
    return Value(text)


def _template(body: str, scope: Scope) -> Value:
    parts: list[str] = []
    last = 0
    for match in _INTERPOLATION.finditer(body):
        parts.append(unquote(body[last : match.start()]))
        value = _reference(match.group(1).strip(), scope)
        if value.is_unknown:
            return value
        parts.append(str(value.value))
        last = match.end()
    if "%{" in body:
        return Value.unknown(f'"{body}": template directive')
    parts.append(unquote(body[last:]))
    return Value("".join(parts))


def _reference(expr: str, scope: Scope) -> Value:
    simple = _SIMPLE_REF.match(expr)
    if simple:
        kind, name = simple.groups()
        if kind == "var":
            value = scope.variables.get(name)
            if value is None:
                return Value.unknown(f"var.{name}: no value")
            if value.is_unknown and not value.note.startswith(f"var.{name}"):
                return Value.unknown(f"var.{name}: {value.note}")
            return value
        return scope.local(name)
    for func in ("upper", "lower"):
        if expr.startswith(f"{func}(") and expr.endswith(")"):
            inner = _reference(expr[len(func) + 1 : -1].strip(), scope)
            if inner.is_unknown or not isinstance(inner.value, str):
                return inner if inner.is_unknown else Value.unknown(f"{expr}: not a string")
            return Value(inner.value.upper() if func == "upper" else inner.value.lower())
    if len(expr) >= 2 and expr.startswith('"') and expr.endswith('"'):
        return _template(expr[1:-1], scope)
    return Value.unknown(f"{expr}: not resolved")


def resource_reference(raw: Any) -> str:
    """``google_storage_bucket.site`` when ``raw`` is a reference to that resource, else ''."""
    if not isinstance(raw, str):
        return ""
    whole = _REF.match(raw)
    if not whole:
        return ""
    match = _RESOURCE_REF.match(whole.group(1).strip())
    if not match:
        return ""
    prefix = "data." if whole.group(1).strip().startswith("data.") else ""
    return f"{prefix}{match.group(1)}.{match.group(2)}"


# --- variables ------------------------------------------------------------------------------


def read_tfvars(path: Path) -> dict[str, Any]:
    """Raw values of a ``.tfvars`` (HCL) or ``.tfvars.json`` file; raises ``ValueError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read: {exc}") from exc
    if path.name.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from exc
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return {k: (f'"{v}"' if isinstance(v, str) else v) for k, v in data.items()}
    import hcl2

    try:
        loaded = hcl2.loads(text, serialization_options=hcl2.SerializationOptions(False))
    except Exception as exc:  # lark raises many unrelated types; all mean "does not parse"
        raise ValueError(_parse_error(exc)) from exc
    return {k: v for k, v in loaded.items() if not k.startswith("__")}


def parse_cli_var(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` from ``--var``; raises ``ValueError`` without an ``=``."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"--var {text!r} is not NAME=VALUE")
    return name.strip(), value


@dataclass(frozen=True)
class VarInputs:
    """Variable values from outside the root module, in Terraform's precedence order."""

    var_files: tuple[Path, ...] = ()
    cli_vars: tuple[tuple[str, str], ...] = ()


def root_variables(
    source: ModuleSource, inputs: VarInputs, display: str, harvest: Harvest
) -> dict[str, Any]:
    """Raw values for the root module's variables, in Terraform's precedence: defaults <
    ``TF_VAR_name`` environment variables < terraform.tfvars(.json) < *.auto.tfvars(.json) in
    name order < ``--var-file`` files in order < ``--var`` values."""
    raw: dict[str, Any] = {}
    for block in source.blocks:
        if block.kind == "variable" and block.labels:
            if "default" in block.body:
                raw[block.labels[0]] = block.body["default"]
            from_env = os.environ.get(f"TF_VAR_{block.labels[0]}")
            if from_env is not None:
                raw[block.labels[0]] = f'"{from_env}"'
    files = [source.folder / "terraform.tfvars", source.folder / "terraform.tfvars.json"]
    files += sorted(
        p for p in source.folder.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    files += list(inputs.var_files)
    for path in files:
        if not path.is_file():
            continue
        try:
            raw.update(read_tfvars(path))
        except ValueError as exc:
            harvest.unchecked.append(Unchecked(_display(path, display), None, str(exc), True))
    for name, value in inputs.cli_vars:
        # -var values are strings unless they parse as a number or a boolean, as Terraform
        # converts them to the variable's type.
        raw[name] = f'"{value}"'
    return raw


# --- the walk -------------------------------------------------------------------------------


Parsed = list[Block] | Unchecked


def _read(path: Path, shown: str) -> bytes | Unchecked:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return Unchecked(shown, None, "larger than 2 MiB", True)
        return path.read_bytes()
    except OSError as exc:
        return Unchecked(shown, None, f"cannot read: {exc.strerror or exc}", True)


def parse_text(data: bytes, shown: str) -> Parsed:
    """One ``.tf`` file's blocks, or why it could not be read."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Unchecked(shown, None, "cannot read: not UTF-8 text", True)
    try:
        return parse_blocks(text, shown)
    except ValueError as exc:
        return Unchecked(shown, _line_of(str(exc)), str(exc), True)


def parse_file(path: Path, shown: str) -> Parsed:
    data = _read(path, shown)
    return data if isinstance(data, Unchecked) else parse_text(data, shown)


def _parse_share(items: Sequence[tuple[bytes, str]]) -> list[Parsed]:
    return [parse_text(data, shown) for data, shown in items]


#: Below this many files, starting worker processes costs more than parsing saves.
PARALLEL_MIN_FILES = 40


def _to_cache(blocks: list[Block]) -> list[Any]:
    return [[b.kind, list(b.labels), b.body, b.line, b.end_line] for b in blocks]


def _from_cache(entry: Any, shown: str) -> list[Block] | None:
    try:
        return [
            Block(str(k), tuple(labels), dict(body), int(line), int(end), shown)
            for k, labels, body, line, end in entry
        ]
    except (TypeError, ValueError):
        return None


def parse_files(paths: Sequence[Path], display_root: Path) -> dict[Path, Parsed]:
    """Every file parsed: from the content cache where it was seen before, else in worker
    processes (one per core) when there are many, else here.

    Parsing dominates the cost of reading Terraform (python-hcl2 builds a full tree in pure
    Python), and files are independent.
    """
    from costwatch.sources.iac import cache

    where = cache.cache_file()
    parser = cache.parser_version()
    known = cache.load(where, parser)
    used: dict[str, Any] = {}
    out: dict[Path, Parsed] = {}
    todo: list[tuple[Path, str, bytes, str]] = []
    for path in paths:
        key, shown = path.resolve(), _display(path, str(display_root))
        data = _read(key, shown)
        if isinstance(data, Unchecked):
            out[key] = data
            continue
        digest = cache.digest(data)
        hit = _from_cache(known[digest], shown) if digest in known else None
        if hit is not None:
            out[key] = hit
            used[digest] = known[digest]
        else:
            todo.append((key, shown, data, digest))
    results: list[Parsed] | None = None
    workers = min(os.cpu_count() or 1, 4)
    shares = [(data, shown) for _, shown, data, _ in todo]
    if workers > 1 and len(todo) >= PARALLEL_MIN_FILES:
        # Build the parser once here, so forked workers inherit it instead of each building it.
        parse_blocks("", "")
        results = _in_workers(shares, workers)
    if results is None:
        results = _parse_share(shares)
    for (key, _, _, digest), parsed in zip(todo, results, strict=True):
        out[key] = parsed
        if not isinstance(parsed, Unchecked):
            used[digest] = _to_cache(parsed)
    if todo or len(used) != len(known):
        cache.save(where, parser, used)
    return out


def _in_workers(items: list[tuple[bytes, str]], workers: int) -> list[Parsed] | None:
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(items) // (workers * 2))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    # fork starts fastest, and is safe while this process runs no other thread.
    forkable = "fork" in multiprocessing.get_all_start_methods() and os.name == "posix"
    if not forkable or threading.active_count() != 1:
        return None
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return [parsed for share in pool.map(_parse_share, chunks) for parsed in share]
    except (OSError, RuntimeError):
        return None  # no worker processes here (sandbox, platform): one process


def load_module(
    folder: Path, display_root: Path, parsed: Mapping[Path, Parsed] | None = None
) -> ModuleSource:
    source = ModuleSource(folder)
    for path in sorted(folder.glob("*.tf")):
        key = path.resolve()
        result = (
            parsed[key]
            if parsed and key in parsed
            else parse_file(key, _display(path, str(display_root)))
        )
        if isinstance(result, Unchecked):
            source.unreadable.append(result)
        else:
            source.blocks.extend(result)
    return source


def _line_of(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _display(path: Path, root: str) -> str:
    try:
        return path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def terraform_folders(files: Sequence[Path]) -> list[Path]:
    """Folders holding ``.tf`` files, in a stable order."""
    return sorted({p.parent for p in files if p.suffix == ".tf"})


def local_module_targets(source: ModuleSource) -> Iterator[Path]:
    for block in source.blocks:
        if block.kind == "module":
            target = _local_source(block.body.get("source"))
            if target:
                yield (source.folder / target).resolve()


def _local_source(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.startswith('"'):
        return ""
    text = raw.strip('"')
    return text if text.startswith(("./", "../")) else ""


def read_terraform(
    folders: Sequence[Path], display_root: Path, inputs: VarInputs = VarInputs()
) -> Harvest:
    """Buckets and grants in every root module among ``folders``.

    A folder another folder calls as a local module is read through that call, with its
    inputs, not on its own (where its variables would have no value).
    """
    harvest = Harvest()
    loaded: dict[Path, ModuleSource] = {}
    parsed = parse_files([p for f in folders for p in sorted(f.glob("*.tf"))], display_root)

    def get(folder: Path) -> ModuleSource:
        key = folder.resolve()
        if key not in loaded:
            loaded[key] = load_module(key, display_root, parsed)
            harvest.files_read += len(list(key.glob("*.tf")))
            harvest.unchecked.extend(loaded[key].unreadable)
        return loaded[key]

    called: set[Path] = set()
    for folder in folders:
        called.update(local_module_targets(get(folder)))
    for folder in folders:
        if folder.resolve() in called:
            continue
        source = get(folder)
        raw = root_variables(source, inputs, str(display_root), harvest)
        scope = _scope(source, raw, None)
        _walk(source, scope, "", harvest, get, depth=0)
    return harvest


def _scope(source: ModuleSource, raw_vars: Mapping[str, Any], parent: Scope | None) -> Scope:
    """A module's scope; ``raw_vars`` are evaluated in ``parent`` (the caller) when given."""
    variables: dict[str, Value] = {}
    if parent is None:
        empty = Scope({}, {})
        variables = {name: evaluate(value, empty) for name, value in raw_vars.items()}
    local_exprs: dict[str, Any] = {}
    for block in source.blocks:
        if block.kind == "locals":
            local_exprs.update(block.body)
    return Scope(variables, local_exprs)


def _walk(
    source: ModuleSource,
    scope: Scope,
    prefix: str,
    harvest: Harvest,
    get: Any,
    depth: int,
) -> None:
    data_policies = {
        f"data.google_iam_policy.{b.labels[1]}": b
        for b in source.blocks
        if b.kind == "data" and len(b.labels) == 2 and b.labels[0] == "google_iam_policy"
    }
    buckets: dict[str, Value] = {}
    for block in source.blocks:
        if block.kind == "resource" and len(block.labels) == 2 and block.labels[0] == BUCKET:
            record = bucket_record(block, scope, prefix)
            buckets[f"{BUCKET}.{block.labels[1]}"] = record.name
            harvest.buckets.append(record)
    for block in source.blocks:
        if block.kind == "resource" and len(block.labels) == 2:
            if block.labels[0] in RESOURCE_TYPES - {BUCKET}:
                harvest.grants.extend(
                    grant_records(block, scope, prefix, buckets, data_policies, harvest)
                )
        elif block.kind == "module" and block.labels:
            _module_call(block, scope, prefix, harvest, get, depth, source.folder)


def _module_call(
    block: Block,
    scope: Scope,
    prefix: str,
    harvest: Harvest,
    get: Any,
    depth: int,
    folder: Path,
) -> None:
    name = block.labels[0]
    raw_source = block.body.get("source")
    target = _local_source(raw_source)
    address = f"{prefix}module.{name}"
    if not target:
        text = str(raw_source or "").strip('"')
        if re.search(r"storage|bucket|gcs", text, re.I):
            harvest.unchecked.append(
                Unchecked(
                    block.path,
                    block.line,
                    f"{address}: module {text} is not a local folder, so its buckets are not "
                    "read; check a plan (terraform show -json) instead",
                )
            )
        return
    module_dir = (folder / target).resolve()
    if depth >= MAX_MODULE_DEPTH or not module_dir.is_dir():
        why = "not found" if not module_dir.is_dir() else "nested too deep"
        harvest.unchecked.append(Unchecked(block.path, block.line, f"{address}: {target} {why}"))
        return
    child = get(module_dir)
    child_scope = _scope(child, {}, scope)
    declared = {b.labels[0]: b.body for b in child.blocks if b.kind == "variable" and b.labels}
    for var_name, body in declared.items():
        if var_name in block.body:
            child_scope.variables[var_name] = evaluate(block.body[var_name], scope)
        elif "default" in body:
            child_scope.variables[var_name] = evaluate(body["default"], Scope({}, {}))
    _walk(child, child_scope, f"{address}.", harvest, get, depth + 1)


def _origin(block: Block, prefix: str) -> Origin:
    address = f"{prefix}{block.labels[0]}.{block.labels[1]}"
    return Origin(SourceKind.TERRAFORM, block.path, block.line, address, block.end_line)


def _first(body: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """The first nested block ``name`` (python-hcl2 gives blocks as lists of dicts)."""
    value = body.get(name)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    if isinstance(value, dict):
        return value
    return None


def _dynamic(body: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for item in body.get("dynamic") or []:
        if isinstance(item, dict):
            names.update(_unquote_label(k) for k in item)
    return names


def bucket_record(block: Block, scope: Scope, prefix: str) -> BucketRecord:
    body = block.body
    settings: dict[str, Value] = {}
    dynamic = _dynamic(body)

    def scalar(attr: str, key: str, convert: Any = None) -> None:
        if attr in body:
            value = evaluate(body[attr], scope)
            if not value.is_unknown and value.value is None:
                return  # null is Terraform's "not set": the provider's default applies
            if not value.is_unknown and convert is not None:
                value = convert(value, attr)
            elif value.is_unknown:
                value = Value.unknown(f"{attr} = {value.note}")
            settings[key] = value

    scalar("location", LOCATION, _upper)
    scalar("storage_class", STORAGE_CLASS, _upper)
    scalar("requester_pays", REQUESTER_PAYS, _boolean)
    scalar("rpo", RPO, _upper)
    scalar("public_access_prevention", PUBLIC_ACCESS_PREVENTION, _lower)
    scalar("uniform_bucket_level_access", UNIFORM_ACCESS, _boolean)
    for block_name, attr, key, convert in (
        ("autoclass", "enabled", AUTOCLASS, _boolean),
        ("soft_delete_policy", "retention_duration_seconds", SOFT_DELETE_SECONDS, _integer),
        ("versioning", "enabled", VERSIONING, _boolean),
        ("custom_placement_config", "data_locations", DATA_LOCATIONS, _upper_list),
    ):
        if block_name in dynamic:
            settings[key] = Value.unknown(f'dynamic "{block_name}": not resolved')
            continue
        nested = _first(body, block_name)
        if nested is None:
            continue
        if attr not in nested:
            if block_name == "soft_delete_policy":
                continue  # an empty block keeps the server's value: a default applies
            settings[key] = Value(False) if key in (AUTOCLASS, VERSIONING) else Value(None)
            continue
        value = evaluate(nested[attr], scope)
        if not value.is_unknown and value.value is None:
            continue  # null: not set
        settings[key] = (
            Value.unknown(f"{block_name}.{attr} = {value.note}")
            if value.is_unknown
            else convert(value, attr)
        )
    settings[LIFECYCLE_DELETES_NONCURRENT] = _lifecycle(body, scope, dynamic)
    name = evaluate(body["name"], scope) if "name" in body else Value.unknown("no name")
    if name.is_unknown:
        name = Value.unknown(f"name = {name.note}")
    if "count" in body or "for_each" in body:
        name = name if not name.is_unknown else Value.unknown(f"{name.note} (count/for_each)")
    return BucketRecord(
        name,
        _origin(block, prefix),
        Action.CREATE,
        settings,
        ref=f"{prefix}{BUCKET}.{block.labels[1]}",
    )


def _lifecycle(body: Mapping[str, Any], scope: Scope, dynamic: set[str]) -> Value:
    if "lifecycle_rule" in dynamic:
        return Value.unknown('dynamic "lifecycle_rule": not resolved')
    rules = body.get("lifecycle_rule")
    if not isinstance(rules, list):
        return Value(False)
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        action = _first(rule, "action") or {}
        condition = _first(rule, "condition") or {}
        kind = evaluate(action.get("type"), scope)
        if kind.is_unknown:
            return Value.unknown(f"lifecycle_rule action type = {kind.note}")
        if kind.value != "Delete":
            continue
        for attr in ("num_newer_versions", "days_since_noncurrent_time", "noncurrent_time_before"):
            value = evaluate(condition.get(attr), scope) if attr in condition else None
            # The provider drops a zero here unless send_*_if_zero is set.
            if value is not None and (value.is_unknown or value.value not in (0, None, "")):
                return Value(True)
        state = evaluate(condition.get("with_state"), scope) if "with_state" in condition else None
        if state is not None and state.value == "ARCHIVED":
            return Value(True)
    return Value(False)


def _upper(value: Value, attr: str) -> Value:
    return Value(str(value.value).upper()) if isinstance(value.value, str) else value


def _lower(value: Value, attr: str) -> Value:
    return Value(str(value.value).lower()) if isinstance(value.value, str) else value


def _upper_list(value: Value, attr: str) -> Value:
    if isinstance(value.value, tuple):
        return Value(tuple(v.upper() for v in value.value))
    return Value.unknown(f"{attr}: not a list")


def _boolean(value: Value, attr: str) -> Value:
    if isinstance(value.value, bool):
        return value
    if isinstance(value.value, str) and value.value.lower() in ("true", "false"):
        return Value(value.value.lower() == "true")
    return Value.unknown(f"{attr} = {value.value!r}: not a boolean")


def _integer(value: Value, attr: str) -> Value:
    try:
        return Value(int(str(value.value)))
    except ValueError:
        return Value.unknown(f"{attr} = {value.value!r}: not a number")


def _bucket_target(
    body: Mapping[str, Any], scope: Scope, prefix: str, buckets: Mapping[str, Value]
) -> tuple[Value, str]:
    raw = body.get("bucket")
    ref = resource_reference(raw)
    if ref.startswith(BUCKET + "."):
        return buckets.get(ref, Value.unknown(f"bucket = {ref}: not found")), prefix + ref
    value = evaluate(raw, scope) if raw is not None else Value.unknown("no bucket")
    if value.is_unknown:
        return Value.unknown(f"bucket = {value.note}"), ""
    return Value(str(value.value).removeprefix("gs://")), ""


def grant_records(
    block: Block,
    scope: Scope,
    prefix: str,
    buckets: Mapping[str, Value],
    data_policies: Mapping[str, Block],
    harvest: Harvest,
) -> list[GrantRecord]:
    kind = block.labels[0]
    body = block.body
    bucket, bucket_ref = _bucket_target(body, scope, prefix, buckets)
    origin = _origin(block, prefix)

    def grant(member: str, role: str, **extra: Any) -> GrantRecord:
        return GrantRecord(bucket, member, role, origin, bucket_ref=bucket_ref, **extra)

    def unknown(what: str, value: Value) -> list[GrantRecord]:
        harvest.unchecked.append(
            Unchecked(block.path, block.line, f"{origin.address}: {what} = {value.note}")
        )
        return []

    conditional = _first(body, "condition") is not None
    if kind == IAM_MEMBER:
        role, member = evaluate(body.get("role"), scope), evaluate(body.get("member"), scope)
        if role.is_unknown:
            return unknown("role", role)
        if member.is_unknown:
            return unknown("member", member)
        return [grant(str(member.value), str(role.value), conditional=conditional)]
    if kind == IAM_BINDING:
        role, members = evaluate(body.get("role"), scope), evaluate(body.get("members"), scope)
        if role.is_unknown:
            return unknown("role", role)
        if members.is_unknown or not isinstance(members.value, tuple):
            return unknown("members", members)
        return [grant(m, str(role.value), conditional=conditional) for m in members.value]
    if kind == IAM_POLICY:
        ref = resource_reference(body.get("policy_data"))
        policy = data_policies.get(ref)
        if policy is None:
            return unknown("policy_data", Value.unknown(str(body.get("policy_data"))))
        out = []
        for binding in policy.body.get("binding") or []:
            role = evaluate(binding.get("role"), scope)
            members = evaluate(binding.get("members"), scope)
            if role.is_unknown or members.is_unknown or not isinstance(members.value, tuple):
                return unknown("policy binding", role if role.is_unknown else members)
            cond = _first(binding, "condition") is not None
            out += [
                grant(m, str(role.value), authoritative=True, conditional=cond)
                for m in members.value
            ]
        if not out:
            # An empty authoritative policy still says who may read: nobody.
            out.append(grant("", "", authoritative=True))
        return out
    if kind == BUCKET_ACL:
        out = []
        predefined = (
            evaluate(body.get("predefined_acl"), scope) if "predefined_acl" in body else None
        )
        if predefined is not None and predefined.value in PUBLIC_PREDEFINED_ACL:
            acl_role = PUBLIC_PREDEFINED_ACL[str(predefined.value)]
            out.append(grant("allUsers", BUCKET_ACL_ROLE[acl_role], kind=GrantKind.ACL))
        entities = evaluate(body.get("role_entity"), scope) if "role_entity" in body else None
        if entities is not None and entities.is_unknown:
            return unknown("role_entity", entities)
        for item in entities.value if entities and isinstance(entities.value, tuple) else ():
            acl_role, _, entity = item.partition(":")
            if entity in ("allUsers", "allAuthenticatedUsers"):
                out.append(
                    grant(entity, BUCKET_ACL_ROLE.get(acl_role, acl_role), kind=GrantKind.ACL)
                )
        return out
    # access_control and default_object_access_control: one role for one entity.
    acl_value = evaluate(body.get("role"), scope)
    entity_value = evaluate(body.get("entity"), scope)
    if acl_value.is_unknown:
        return unknown("role", acl_value)
    if entity_value.is_unknown:
        return unknown("entity", entity_value)
    acl_name, entity_name = str(acl_value.value), str(entity_value.value)
    if kind == DEFAULT_OBJECT_ACL:
        iam_role = OBJECT_ACL_ROLE.get(acl_name, acl_name)
        return [grant(entity_name, iam_role, kind=GrantKind.DEFAULT_ACL)]
    return [grant(entity_name, BUCKET_ACL_ROLE.get(acl_name, acl_name), kind=GrantKind.ACL)]
