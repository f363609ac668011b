"""A cached attribute for the scanner's many small objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Self, TypeVar, overload

T = TypeVar("T")


class lazy(Generic[T]):
    """Like :func:`functools.cached_property`, without its lock.

    Python 3.11's ``cached_property`` takes a lock on every first access; a large site has
    hundreds of thousands of links, each with a few lazily computed attributes, and that lock
    was a tenth of the scan. Each object here belongs to one thread.
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | Self:
        if instance is None:
            return self
        value = self.func(instance)
        # Stored in the instance's dictionary, which then answers before this descriptor;
        # that works on frozen dataclasses too, as it does for cached_property.
        instance.__dict__[self.name] = value
        return value
