"""Page numbers from the query string, never trusted as given."""

from __future__ import annotations

MAX_PAGE = 100_000


def page_number(raw: str | None) -> int:
    """A page number between 1 and :data:`MAX_PAGE`; anything unreadable is page 1."""
    text = (raw or "").strip()
    if not text.isdigit():
        return 1
    return min(max(int(text), 1), MAX_PAGE)


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // max(size, 1)))
