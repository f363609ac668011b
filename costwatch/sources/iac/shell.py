"""Bucket commands in shell text: ``gcloud storage buckets ...`` and ``gsutil ...``.

Text is read as a shell reads it: ``\\`` line continuations are joined, words are split with
quoting (``shlex``), commands end at ``;``, ``&&``, ``||``, ``|``, ``&`` and newlines,
``--flag=v`` and ``--flag v`` and short flags (``-l``, ``-c``, ``-b``) are all accepted. A
word holding ``$`` (a variable, a command substitution) is unknown; a bucket whose name is a
variable is still judged on its flags.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

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

_NEEDLE = re.compile(r"\b(gcloud|gsutil)\b")
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "(", ")", ";;", "|&", "\n"})
_WRAPPERS = frozenset({"sudo", "time", "exec", "command", "nohup", "env", "xargs", "then", "do"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_DURATION = re.compile(r"(\d+)([smhdw]?)", re.I)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_QUOTE_JOIN = 40


@dataclass(frozen=True)
class Line:
    """One logical line: text with continuations joined, first and last physical line."""

    text: str
    first: int
    last: int


def logical_lines(text: str, first_line: int = 1) -> Iterator[Line]:
    """Physical lines joined where a line ends in an unescaped backslash."""
    pending: list[str] = []
    start = first_line
    for offset, raw in enumerate(text.splitlines()):
        number = first_line + offset
        if not pending:
            start = number
        stripped = raw.rstrip()
        trailing = len(stripped) - len(stripped.rstrip("\\"))
        if trailing % 2 == 1:
            pending.append(stripped[:-1])
            continue
        pending.append(raw)
        joined = " ".join(part.strip() if i else part for i, part in enumerate(pending))
        pending = []
        yield Line(joined, start, number)
    if pending:
        yield Line(" ".join(pending), start, first_line + len(text.splitlines()) - 1)


def split_words(text: str) -> list[str]:
    """Shell words and operators; raises ``ValueError`` on unbalanced quotes."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def simple_commands(words: Sequence[str]) -> Iterator[list[str]]:
    command: list[str] = []
    for word in words:
        if word in _SEPARATORS:
            if command:
                yield command
            command = []
        else:
            command.append(word)
    if command:
        yield command


def read_shell(
    text: str,
    path: str,
    first_line: int = 1,
    *,
    make: bool = False,
    harvest: Harvest | None = None,
) -> Harvest:
    """Every bucket command in ``text`` (a script, a recipe, a ``run:`` step)."""
    harvest = harvest if harvest is not None else Harvest()
    lines = list(logical_lines(text, first_line))
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not _NEEDLE.search(line.text):
            continue
        body = _make_text(line.text) if make else line.text
        try:
            words = split_words(body)
        except ValueError:
            # A quoted string may run over several lines: join until the quotes balance.
            joined, last, taken = body, line.last, 0
            words = []
            while index + taken < len(lines) and taken < MAX_QUOTE_JOIN:
                nxt = lines[index + taken]
                joined += "\n" + (_make_text(nxt.text) if make else nxt.text)
                last = nxt.last
                taken += 1
                try:
                    words = split_words(joined)
                    break
                except ValueError:
                    continue
            if not words:
                harvest.unchecked.append(
                    Unchecked(path, line.first, "unbalanced quotes: the command cannot be read")
                )
                continue
            index += taken
            line = Line(joined, line.first, last)
        for command in simple_commands(words):
            _command(command, Line(line.text, line.first, line.last), path, harvest)
    return harvest


def _make_text(text: str) -> str:
    """A Makefile recipe line as the shell sees it: no ``@``/``-``/``+`` prefix, ``$$`` -> ``$``."""
    stripped = text.lstrip("\t ")
    while stripped[:1] in ("@", "-", "+"):
        stripped = stripped[1:]
    return stripped.replace("$$", "$")


def _strip_prefix(command: list[str]) -> list[str]:
    index = 0
    while index < len(command) and (
        _ASSIGNMENT.match(command[index]) or command[index] in _WRAPPERS
    ):
        index += 1
    return command[index:]


def _command(command: list[str], line: Line, path: str, harvest: Harvest) -> None:
    words = _strip_prefix(command)
    if not words:
        return
    program = words[0].rsplit("/", 1)[-1]
    if program == "gcloud":
        _gcloud(words[1:], line, path, harvest)
    elif program == "gsutil":
        _gsutil(words[1:], line, path, harvest)


# --- values ---------------------------------------------------------------------------------


def _word(flag: str, raw: str) -> Value:
    if "$" in raw or "`" in raw:
        return Value.unknown(f"{flag} {raw}: a variable")
    return Value(raw)


def _bucket_name(url: str) -> Value | None:
    """The bucket of a ``gs://`` URL; None when the word is not a bucket URL."""
    if not url.startswith("gs://"):
        return None
    name = url[5:].split("/", 1)[0]
    if not name:
        return None
    if "$" in name or "`" in name:
        return Value.unknown(f"bucket {url}: a variable")
    return Value(name)


def parse_duration(text: str) -> int | None:
    """Seconds in a gcloud duration (``7d``, ``1h30m``, ``604800s``, ``0``); None if invalid."""
    text = text.strip()
    if not re.fullmatch(r"(\d+[smhdw]?)+", text, re.I):
        return None
    total = 0
    for amount, unit in _DURATION.findall(text):
        total += int(amount) * _UNIT_SECONDS[unit.lower()]
    return total


def _origin(line: Line, path: str, words: Sequence[str]) -> Origin:
    address = " ".join(words[:4])
    return Origin(SourceKind.SCRIPT, path, line.first, address, line.last)


# --- flag tables ----------------------------------------------------------------------------

Setter = Callable[[str, str], tuple[str, Value]]


def _upper(key: str) -> Setter:
    def set_value(flag: str, raw: str) -> tuple[str, Value]:
        value = _word(flag, raw)
        return key, Value(str(value.value).upper()) if not value.is_unknown else value

    return set_value


def _const(key: str, constant: object) -> Setter:
    def set_value(flag: str, raw: str) -> tuple[str, Value]:
        return key, Value(constant)  # type: ignore[arg-type]

    return set_value


def _soft_delete(flag: str, raw: str) -> tuple[str, Value]:
    value = _word(flag, raw)
    if value.is_unknown:
        return SOFT_DELETE_SECONDS, value
    seconds = parse_duration(str(value.value))
    if seconds is None:
        return SOFT_DELETE_SECONDS, Value.unknown(f"{flag}={raw}: not a duration")
    return SOFT_DELETE_SECONDS, Value(seconds)


def _placement(flag: str, raw: str) -> tuple[str, Value]:
    value = _word(flag, raw)
    if value.is_unknown:
        return DATA_LOCATIONS, value
    return DATA_LOCATIONS, Value(tuple(p.strip().upper() for p in str(value.value).split(",")))


def _lifecycle(flag: str, raw: str) -> tuple[str, Value]:
    return LIFECYCLE_DELETES_NONCURRENT, Value.unknown(f"{flag}={raw}: rules in another file")


def _on_off(key: str, on: object = True, off: object = False) -> Setter:
    def set_value(flag: str, raw: str) -> tuple[str, Value]:
        value = _word(flag, raw)
        if value.is_unknown:
            return key, value
        text = str(value.value).lower()
        if text in ("on", "true", "enforced"):
            return key, Value(on)  # type: ignore[arg-type]
        if text in ("off", "false", "inherited", "unspecified"):
            return key, Value(off)  # type: ignore[arg-type]
        return key, Value.unknown(f"{flag} {raw}: not on or off")

    return set_value


# gcloud storage buckets create|update: flag -> (takes a value, setter).
_GCLOUD_FLAGS: dict[str, tuple[bool, Setter]] = {
    "--location": (True, _upper(LOCATION)),
    "-l": (True, _upper(LOCATION)),
    "--default-storage-class": (True, _upper(STORAGE_CLASS)),
    "-c": (True, _upper(STORAGE_CLASS)),
    "-s": (True, _upper(STORAGE_CLASS)),
    "--placement": (True, _placement),
    "--uniform-bucket-level-access": (False, _const(UNIFORM_ACCESS, True)),
    "-b": (False, _const(UNIFORM_ACCESS, True)),
    "--no-uniform-bucket-level-access": (False, _const(UNIFORM_ACCESS, False)),
    "--public-access-prevention": (False, _const(PUBLIC_ACCESS_PREVENTION, "enforced")),
    "--pap": (False, _const(PUBLIC_ACCESS_PREVENTION, "enforced")),
    "--no-public-access-prevention": (False, _const(PUBLIC_ACCESS_PREVENTION, "inherited")),
    "--no-pap": (False, _const(PUBLIC_ACCESS_PREVENTION, "inherited")),
    "--clear-pap": (False, _const(PUBLIC_ACCESS_PREVENTION, "inherited")),
    "--clear-public-access-prevention": (False, _const(PUBLIC_ACCESS_PREVENTION, "inherited")),
    "--soft-delete-duration": (True, _soft_delete),
    "--clear-soft-delete": (False, _const(SOFT_DELETE_SECONDS, 0)),
    "--recovery-point-objective": (True, _upper(RPO)),
    "--rpo": (True, _upper(RPO)),
    "--enable-autoclass": (False, _const(AUTOCLASS, True)),
    "--no-enable-autoclass": (False, _const(AUTOCLASS, False)),
    "--versioning": (False, _const(VERSIONING, True)),
    "--no-versioning": (False, _const(VERSIONING, False)),
    "--requester-pays": (False, _const(REQUESTER_PAYS, True)),
    "--no-requester-pays": (False, _const(REQUESTER_PAYS, False)),
    "--lifecycle-file": (True, _lifecycle),
    "--clear-lifecycle": (False, _const(LIFECYCLE_DELETES_NONCURRENT, False)),
}
# Flags of these commands that take a value but do not matter here (so the value is skipped).
_GCLOUD_VALUED = frozenset(
    {
        "--project",
        "--account",
        "--configuration",
        "--impersonate-service-account",
        "--billing-project",
        "--format",
        "--verbosity",
        "--retention-period",
        "--default-encryption-key",
        "-k",
        "--autoclass-terminal-storage-class",
        "--ip-filter-file",
        "--log-bucket",
        "--log-object-prefix",
        "--web-main-page-suffix",
        "--web-error-page",
        "--cors-file",
        "--labels-file",
        "--update-labels",
        "--remove-labels",
        "--condition",
        "--condition-from-file",
        "--member",
        "--role",
        "--predefined-acl",
        "--predefined-default-object-acl",
        "--default-event-based-hold",
    }
)


def _gcloud_flags(args: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Positional words and ``flag -> raw value`` (``""`` for a switch), in order."""
    positional: list[str] = []
    flags: dict[str, str] = {}
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        name, sep, value = word.partition("=")
        spec = _GCLOUD_FLAGS.get(name)
        takes_value = (spec[0] if spec else False) or name in _GCLOUD_VALUED
        if takes_value and not sep and index < len(args):
            value = args[index]
            index += 1
        flags[name] = value
    return positional, flags


def _gcloud(args: Sequence[str], line: Line, path: str, harvest: Harvest) -> None:
    words = [w for w in args if w not in ("alpha", "beta")]
    if len(words) < 3 or words[0] != "storage" or words[1] != "buckets":
        return
    verb = words[2]
    if verb not in ("create", "update", "add-iam-policy-binding"):
        return
    positional, flags = _gcloud_flags(words[3:])
    origin = _origin(line, path, ["gcloud", "storage", "buckets", verb])
    urls = [u for u in positional if u.startswith("gs://")]
    names = [_bucket_name(u) for u in urls]
    if not names:
        harvest.unchecked.append(
            Unchecked(path, line.first, f"gcloud storage buckets {verb}: no gs:// bucket URL")
        )
        return
    if verb == "add-iam-policy-binding":
        member = _word("--member", flags.get("--member", ""))
        role = _word("--role", flags.get("--role", ""))
        for name in names:
            if name is None:
                continue
            if member.is_unknown or role.is_unknown or not member.value or not role.value:
                why = member.note or role.note or "--member and --role are required"
                harvest.unchecked.append(Unchecked(path, line.first, why))
                continue
            harvest.grants.append(
                GrantRecord(
                    name,
                    str(member.value),
                    _iam_role(str(role.value)),
                    origin,
                    conditional="--condition" in flags or "--condition-from-file" in flags,
                )
            )
        return
    settings: dict[str, Value] = {}
    for flag, raw in flags.items():
        spec = _GCLOUD_FLAGS.get(flag)
        if spec is not None:
            key, value = spec[1](flag, raw)
            settings[key] = value
    action = Action.CREATE if verb == "create" else Action.UPDATE
    for name in names:
        if name is not None:
            harvest.buckets.append(BucketRecord(name, origin, action, dict(settings)))
    acl = flags.get("--predefined-acl", "")
    if acl in ("publicRead", "publicReadWrite", "public-read", "public-read-write"):
        acl_role = BUCKET_ACL_ROLE["WRITER" if "Write" in acl or "write" in acl else "READER"]
        for name in names:
            if name is not None:
                harvest.grants.append(
                    GrantRecord(name, "allUsers", acl_role, origin, GrantKind.ACL)
                )
    default_acl = flags.get("--predefined-default-object-acl", "")
    if default_acl in ("publicRead", "public-read"):
        for name in names:
            if name is not None:
                harvest.grants.append(
                    GrantRecord(
                        name, "allUsers", OBJECT_ACL_ROLE["READER"], origin, GrantKind.DEFAULT_ACL
                    )
                )


def _iam_role(role: str) -> str:
    """``objectViewer`` -> ``roles/storage.objectViewer``; full names unchanged."""
    if role.startswith(("roles/", "projects/", "organizations/")):
        return role
    return f"roles/storage.{role}"


# --- gsutil ---------------------------------------------------------------------------------

_GSUTIL_TOP_VALUED = frozenset({"-o", "-u", "-h", "-i"})
_MB_FLAGS: dict[str, Setter] = {
    "-l": _upper(LOCATION),
    "-c": _upper(STORAGE_CLASS),
    "-s": _upper(STORAGE_CLASS),
    "-b": _on_off(UNIFORM_ACCESS),
    "--pap": _on_off(PUBLIC_ACCESS_PREVENTION, "enforced", "inherited"),
    "--placement": _placement,
    "--rpo": _upper(RPO),
}
_MB_VALUED_IGNORED = frozenset({"-p", "-k", "--retention"})
_SET_COMMANDS: dict[str, Setter] = {
    "versioning": _on_off(VERSIONING),
    "requesterpays": _on_off(REQUESTER_PAYS),
    "autoclass": _on_off(AUTOCLASS),
    "ubla": _on_off(UNIFORM_ACCESS),
    "bucketpolicyonly": _on_off(UNIFORM_ACCESS),
    "pap": _on_off(PUBLIC_ACCESS_PREVENTION, "enforced", "inherited"),
    "defstorageclass": _upper(STORAGE_CLASS),
    "rpo": _upper(RPO),
}
_ACL_PERMISSIONS = {"R": "READER", "READ": "READER", "W": "WRITER", "WRITE": "WRITER"}
_ACL_PERMISSIONS |= {"O": "OWNER", "OWNER": "OWNER", "FC": "OWNER", "FULL_CONTROL": "OWNER"}
_ACL_ENTITIES = {"allusers": "allUsers", "allauthenticatedusers": "allAuthenticatedUsers"}


def _gsutil(args: Sequence[str], line: Line, path: str, harvest: Harvest) -> None:
    index = 0
    while index < len(args) and args[index].startswith("-"):
        index += 2 if args[index] in _GSUTIL_TOP_VALUED else 1
    words = list(args[index:])
    if not words:
        return
    sub = words[0]
    if sub in ("mb", "makebucket"):
        _gsutil_mb(words[1:], line, path, harvest)
    elif sub in _SET_COMMANDS and len(words) >= 4 and words[1] == "set":
        origin = _origin(line, path, ["gsutil", sub, "set"])
        key, value = _SET_COMMANDS[sub](f"gsutil {sub} set", words[2])
        for url in words[3:]:
            name = _bucket_name(url)
            if name is not None:
                harvest.buckets.append(BucketRecord(name, origin, Action.UPDATE, {key: value}))
    elif sub == "iam" and len(words) >= 3 and words[1] == "ch":
        _gsutil_iam(words[2:], _origin(line, path, ["gsutil", "iam", "ch"]), harvest)
    elif sub in ("acl", "defacl") and len(words) >= 3 and words[1] == "ch":
        _gsutil_acl(sub, words[2:], _origin(line, path, ["gsutil", sub, "ch"]), harvest)


def _gsutil_mb(args: Sequence[str], line: Line, path: str, harvest: Harvest) -> None:
    settings: dict[str, Value] = {}
    urls: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if word.startswith("gs://"):
            urls.append(word)
            continue
        name, sep, value = word.partition("=")
        if name in _MB_FLAGS or name in _MB_VALUED_IGNORED:
            if not sep and index < len(args):
                value = args[index]
                index += 1
            if name in _MB_FLAGS:
                key, parsed = _MB_FLAGS[name](name, value)
                settings[key] = parsed
        elif word == "--autoclass":
            settings[AUTOCLASS] = Value(True)
    origin = _origin(line, path, ["gsutil", "mb"])
    buckets = [n for n in (_bucket_name(u) for u in urls) if n is not None]
    if not buckets:
        harvest.unchecked.append(Unchecked(path, line.first, "gsutil mb: no gs:// bucket URL"))
    for bucket in buckets:
        harvest.buckets.append(BucketRecord(bucket, origin, Action.CREATE, dict(settings)))


def _gsutil_iam(args: Sequence[str], origin: Origin, harvest: Harvest) -> None:
    """``gsutil iam ch [-d] MEMBER:ROLE[,ROLE] ... gs://B``; ``-d`` removes, so it is skipped."""
    grants: list[tuple[str, str]] = []
    buckets: list[Value] = []
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if word == "-d":
            index += 1
            continue
        if word in ("-R", "-r", "-f", "-e"):
            if word == "-e":
                index += 1
            continue
        name = _bucket_name(word)
        if name is not None:
            buckets.append(name)
            continue
        member, roles = _split_member(word)
        if member:
            grants += [(member, _iam_role(role)) for role in roles]
    for bucket in buckets:
        for member, role in grants:
            harvest.grants.append(GrantRecord(bucket, member, role, origin))


def _split_member(word: str) -> tuple[str, list[str]]:
    """``allUsers:objectViewer`` / ``user:a@b.c:admin,objectViewer`` -> (member, roles)."""
    head, _, roles = word.rpartition(":")
    if not head:
        return "", []
    if head.lower() in _ACL_ENTITIES:
        head = _ACL_ENTITIES[head.lower()]
    return head, [r for r in roles.split(",") if r]


def _gsutil_acl(sub: str, args: Sequence[str], origin: Origin, harvest: Harvest) -> None:
    """``gsutil acl|defacl ch -u|-g|-p ENTITY:PERM ... gs://B[/OBJ]``."""
    grants: list[tuple[str, str]] = []
    targets: list[tuple[Value, bool]] = []
    recursive = False
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if word in ("-r", "-R"):
            recursive = True  # the objects' ACLs, not the bucket's
        elif word in ("-u", "-g", "-p") and index < len(args):
            entity, _, permission = args[index].rpartition(":")
            index += 1
            entity = _ACL_ENTITIES.get(entity.lower(), entity)
            if entity in ("allUsers", "allAuthenticatedUsers"):
                grants.append((entity, _ACL_PERMISSIONS.get(permission.upper(), permission)))
        elif word == "-d" and index < len(args):
            index += 1
        else:
            name = _bucket_name(word)
            if name is not None:
                targets.append((name, recursive or "/" in word[5:].rstrip("/")))
    for bucket, on_objects in targets:
        for entity, permission in grants:
            if sub == "defacl" or on_objects:
                kind = GrantKind.DEFAULT_ACL if sub == "defacl" else GrantKind.ACL
                role = OBJECT_ACL_ROLE.get(permission, permission)
            else:
                kind, role = GrantKind.ACL, BUCKET_ACL_ROLE.get(permission, permission)
            harvest.grants.append(GrantRecord(bucket, entity, role, origin, kind))
