"""Cursor pagination: a page ends with an opaque cursor naming the last row's (sort key, id); the next page is the
rows after it in the same order (keyset pagination).

Unlike page numbers, a cursor does not drift when rows are added before it: every row that existed when the first
page was read is returned exactly once, whatever is inserted meanwhile (a new row appears if it sorts after the
cursor). A cursor names its listing, so one listing's cursor is refused by another.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from tawthiq.errors import TawthiqError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadCursor(TawthiqError):
    """A cursor that is not one this listing gave out."""


@dataclass(frozen=True, slots=True)
class Position:
    """The last row of a page: its sort key and id."""

    key: str | int | float | None
    id: int


def encode(listing: str, position: Position) -> str:
    raw = json.dumps([listing, position.key, position.id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode(listing: str, cursor: str) -> Position:
    """The position a cursor names; :class:`BadCursor` when it is malformed or another listing's."""
    hint = "start again without a cursor, or pass the next_cursor of the previous page unchanged"
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as e:
        raise BadCursor(f"cursor {cursor[:40]!r}: not a cursor of this API", hint=hint) from e
    if (not isinstance(value, list) or len(value) != 3 or value[0] != listing
            or not isinstance(value[1], str | int | float | None) or isinstance(value[1], bool)
            or not isinstance(value[2], int) or isinstance(value[2], bool)):
        raise BadCursor(f"cursor {cursor[:40]!r}: not a cursor of the {listing} listing", hint=hint)
    return Position(value[1], value[2])


@dataclass(frozen=True, slots=True)
class Keyset:
    """How a listing is ordered: a SQL sort expression (never NULL: use ``coalesce``), the id column, direction."""

    listing: str
    key: str
    id: str
    descending: bool = False

    def order_by(self) -> str:
        way = "DESC" if self.descending else "ASC"
        return f"ORDER BY {self.key} {way}, {self.id} {way}"

    def after(self, cursor: str | None) -> tuple[str, dict[str, Any]]:
        """A SQL condition for the rows after ``cursor`` (``1 = 1`` without one) and its parameters."""
        if not cursor:
            return "1 = 1", {}
        position = decode(self.listing, cursor)
        op = "<" if self.descending else ">"
        return (f"({self.key} {op} :cursor_key OR ({self.key} = :cursor_key AND {self.id} {op} :cursor_id))",
                {"cursor_key": position.key, "cursor_id": position.id})

    def next_cursor(self, rows: list[dict[str, Any]], limit: int, key_field: str = "sort_key") -> str | None:
        """The cursor after the last of ``rows`` when the query (asked for ``limit + 1``) found more, else None."""
        if len(rows) <= limit:
            return None
        last = rows[limit - 1]
        return encode(self.listing, Position(last[key_field], int(last["id"])))
