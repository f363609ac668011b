"""Start the command line without pydantic: about 60 ms of every run's start.

Typer (0.2x) turns each option's text into its annotated type with a pydantic ``TypeAdapter``,
built when the option is processed, and the help option of every command is processed with
the value ``None``, so even ``costwatch audit --help`` imports pydantic. costwatch's options are
plain text, paths, enums, flags and lists of those: :class:`LeanGroup` gives each command a
help flag that is off unless given and converts those simple values itself. Anything else, and
any value that does not convert, goes through Typer's own conversion, so errors read exactly as
Typer writes them. With a Typer that converts without pydantic, this changes nothing.
"""

from __future__ import annotations

import copy
import os
import types
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import typer
from typer.core import TyperGroup

Convert = Callable[[Any, Any], Any]


def for_args(app: typer.Typer, args: Sequence[str]) -> typer.Typer:
    """``app`` with only the command ``args`` run, when they name one.

    Typer builds every registered command (each option, its type, its help) before it runs
    one: with ten commands, about 8 ms of every start. Anything else (no command, an option
    first, a name that is not a command, so that Typer can suggest one) gets the whole app.
    """
    if not args:
        return app
    chosen = [c for c in app.registered_commands if command_name(c) == args[0]]
    if not chosen:
        return app
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return lean


def command_name(info: Any) -> str:
    """The name Typer gives a registered command."""
    if info.name:
        return str(info.name)
    callback = info.callback
    return callback.__name__.lower().replace("_", "-") if callback is not None else ""


class LeanGroup(TyperGroup):
    """The root command: subcommands whose help and simple options need no pydantic."""

    def get_help_option(self, ctx: Any) -> Any:
        return _off_unless_given(super().get_help_option(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _off_unless_given(command.get_help_option(ctx))
            for param in command.params:
                _convert_simply(param)
        return command


def _off_unless_given(option: Any) -> Any:
    # A flag nobody gave is False, not None: Typer passes booleans through unconverted.
    if option is not None and getattr(option, "default", False) is None:
        option.default = False
    return option


class _Simple:
    """Typer's runtime conversion for one simple parameter (duck-typed ``RuntimeParam``)."""

    def __init__(self, convert: Convert) -> None:
        self.convert = convert

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = bool(param.multiple) or param.nargs == -1
        if value is None:
            return () if many else None
        try:
            if many:
                if isinstance(value, str):
                    raise ValueError(value)
                return [self.convert(item, ctx) for item in value]
            return self.convert(value, ctx)
        except (TypeError, ValueError):
            # Typer's own conversion says what is wrong, in its words.
            param._runtime_param = None
            return param.get_runtime_param().coerce(value, param=param, ctx=ctx)


def _convert_simply(param: Any) -> None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", True) is not None:
        return
    convert = _converter(descriptor.annotation, descriptor.parameter_info)
    if convert is not None:
        param._runtime_param = _Simple(convert)


def _converter(annotation: Any, info: Any) -> Convert | None:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return _converter(rest[0], info) if len(rest) == 1 else None
    if origin is list:
        (item,) = get_args(annotation)
        return _converter(item, info)
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    if annotation is str:
        return _text
    if annotation is bool:
        return _flag
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        if not getattr(info, "case_sensitive", True):
            return None
        return _choice(annotation)
    if annotation is Path and _plain_path(info):
        return _path
    return None


def _text(value: Any, ctx: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _flag(value: Any, ctx: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _choice(enum: type[Enum]) -> Convert:
    def convert(value: Any, ctx: Any) -> Enum:
        if isinstance(value, enum):
            return value
        if isinstance(value, str) and getattr(ctx, "token_normalize_func", None) is None:
            for member in enum:
                if str(member.value) == value:
                    return member
        raise ValueError(value)

    return convert


def _plain_path(info: Any) -> bool:
    """A path option with none of the checks Typer can add (exists, resolve, dash...)."""
    return not any(
        getattr(info, name, False)
        for name in ("exists", "resolve_path", "allow_dash", "writable", "path_type")
    ) and all(getattr(info, name, True) for name in ("file_okay", "dir_okay"))


def _path(value: Any, ctx: Any) -> Path:
    if isinstance(value, Path):
        return value
    if not isinstance(value, str):
        raise TypeError(value)
    # Typer refuses a name that is not valid text (an undecodable byte from the command line
    # arrives as a lone surrogate): let it say so, in its words.
    value.encode("utf-8")
    path = Path(value)
    # Typer refuses an existing path it cannot read: let it say so.
    if os.path.exists(path) and not os.access(path, os.R_OK):
        raise ValueError(value)
    return path
