"""A protected value: it says ``<protected>`` wherever it is printed, logged, formatted or put in an error.

Only :meth:`Protected.reveal` gives the value back, so that every place that reads a witness's identity or testimony
is a deliberate, greppable call.
"""

from __future__ import annotations

from typing import Any, NoReturn

MASK = "<protected>"


class Protected:
    """Wraps a string that must never reach a log, an error message, a repr or an export by accident."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a protected value must be a string")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return MASK

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return MASK

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Protected) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Protected, self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a protected value cannot be pickled")

    def __getstate__(self) -> Any:
        raise TypeError("a protected value cannot be serialised")


def contains_protected(value: object) -> bool:
    """Whether a (nested) structure of dicts, lists and tuples holds a :class:`Protected` anywhere."""
    if isinstance(value, Protected):
        return True
    if isinstance(value, dict):
        return any(contains_protected(k) or contains_protected(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(contains_protected(v) for v in value)
    return False
