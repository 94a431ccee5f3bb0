"""The evidence of a claim as the report shows it: the span's text, with the quantity and date as written marked.

The span (``[span_start, span_end)`` into the document's cleaned text) is shown whole and verbatim; inside it the
words the figure was read from (``quantity_text``) and the date words (``date_text``) are marked when found. A little
of the text either side is shown, cut at a word boundary, so the reader sees the sentence in its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tawthiq.report.records import CONTEXT_CHARS, ClaimView


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the span's text; ``mark`` is ``"quantity"``, ``"date"`` or ``None``."""

    text: str
    mark: str | None = None


def _find(haystack: str, needle: str | None) -> tuple[int, int] | None:
    if not needle or not needle.strip():
        return None
    index = haystack.find(needle)
    if index < 0:
        match = re.search(re.escape(needle), haystack, flags=re.IGNORECASE)
        return match.span() if match else None
    return index, index + len(needle)


def segments(claim: ClaimView) -> list[Segment]:
    """Split the span text into plain and marked segments (the quantity first; the date when it does not overlap)."""
    text = claim.span_text
    marks: list[tuple[int, int, str]] = []
    quantity = _find(text, claim["quantity_text"])
    if quantity:
        marks.append((*quantity, "quantity"))
    date = _find(text, claim["date_text"])
    if date and not (quantity and date[0] < quantity[1] and quantity[0] < date[1]):
        marks.append((*date, "date"))
    marks.sort()
    out: list[Segment] = []
    pos = 0
    for start, end, kind in marks:
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], kind))
        pos = end
    if pos < len(text) or not out:
        out.append(Segment(text[pos:]))
    return out


def context_before(claim: ClaimView) -> str:
    """The text just before the span, from a word boundary, with an ellipsis when cut."""
    text = claim.before
    if len(text) >= CONTEXT_CHARS and claim["span_start"] > CONTEXT_CHARS:
        cut = text.find(" ")
        return "…" + (text[cut + 1 :] if 0 <= cut < len(text) - 1 else text)
    return text


def context_after(claim: ClaimView) -> str:
    """The text just after the span, to a word boundary, with an ellipsis when cut."""
    text = claim.after
    if len(text) >= CONTEXT_CHARS:
        cut = text.rfind(" ")
        return (text[:cut] if cut > 0 else text) + "…"
    return text
