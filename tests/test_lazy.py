"""The scanner's cached attribute."""

from __future__ import annotations

from dataclasses import dataclass

from costwatch.lazy import lazy


@dataclass(frozen=True)
class Counted:
    calls: list[int]

    @lazy
    def value(self) -> int:
        self.calls.append(1)
        return 42


def test_computed_once_per_object_even_when_frozen() -> None:
    first, second = Counted([]), Counted([])
    assert (first.value, first.value, second.value) == (42, 42, 42)
    assert len(first.calls) == 1 and len(second.calls) == 1
    assert isinstance(Counted.__dict__["value"], lazy)
