"""The grouped disagreement comparison gives what comparing every claim with every other gives (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.report.compare import Disagreement, _range, disagreements, scope, speaker, speaker_key
from tawthiq.report.records import ClaimView, DocumentView

SPEAKERS = ["the Network", "network", "Observatory", "According to the Observatory", "Ministry", None]


def _document(doc_id: int, source: str) -> DocumentView:
    return DocumentView(
        id=doc_id, sha256=f"{doc_id:064x}", title=f"report {doc_id}", source=source, source_type="ngo", url="",
        language="en", media_type="text/plain", path=f"{doc_id}.txt", text_length=0, published_at=None,
        published_prec=None, published_inferred=False, published_note="", not_before=None, not_after=None,
        copy_of=None, copy_similarity=None, root_id=doc_id,
    )


DOCUMENTS = {1: _document(1, "Wire"), 2: _document(2, "Commission"), 3: _document(3, "wire")}

claim_rows = st.fixed_dictionaries({
    "kind": st.sampled_from(["casualty_count", "casualty_count", "casualty_count", "event"]),
    "outcome": st.sampled_from(["killed", "injured", None]),
    "population": st.sampled_from(["total", "civilians"]),
    "low": st.one_of(st.none(), st.integers(0, 60)),
    "best": st.one_of(st.none(), st.integers(0, 60)),
    "high": st.one_of(st.none(), st.integers(0, 60)),
    "qualifier": st.sampled_from(["exact", "at_least", "up_to", "less_than", "about"]),
    "attributed_to": st.sampled_from(SPEAKERS),
    "document_id": st.sampled_from(sorted(DOCUMENTS)),
    "place": st.sampled_from([None, "Baniyas", "baniyas "]),
    "where_prec": st.sampled_from([None, 1, 3, 4]),
    "date_prec": st.sampled_from([None, 1, 2, 3]),
    "date_start": st.sampled_from([None, "2025-03-07", "2025-03-08"]),
})


def _figure(row: dict[str, Any]) -> int | None:
    return next((int(row[k]) for k in ("best", "low", "high") if row[k] is not None), None)


def _pairwise(claims: list[ClaimView], single_day: bool) -> dict[int, list[Disagreement]]:
    """The definition, claim by claim against every other claim."""
    found: dict[int, list[Disagreement]] = {}
    for claim in claims:
        mine = _figure(claim.row)
        if claim["kind"] != "casualty_count" or mine is None:
            continue
        what = (claim["outcome"] or "", claim["population"] or "", scope(claim, single_day=single_day))
        others: dict[tuple[str, int], Disagreement] = {}
        for other in claims:
            theirs = _figure(other.row)
            if other["kind"] != "casualty_count" or theirs is None or theirs == mine:
                continue
            if (other["outcome"] or "", other["population"] or "", scope(other, single_day=single_day)) != what:
                continue
            who = speaker_key(other, DOCUMENTS)
            if who == speaker_key(claim, DOCUMENTS) or (who, theirs) in others:
                continue
            (low, high), (o_low, o_high) = _range(claim), _range(other)
            others[(who, theirs)] = Disagreement(other.id, speaker(other, DOCUMENTS), theirs,
                                                 compatible=low <= o_high and o_low <= high)
        if others:
            found[claim.id] = sorted(others.values(), key=lambda d: (d.figure, d.speaker))
    return found


@settings(max_examples=120, deadline=None)
@given(rows=st.lists(claim_rows, max_size=30), single_day=st.booleans())
def test_grouped_comparison_equals_the_pairwise_definition(rows: list[dict[str, Any]], single_day: bool) -> None:
    claims = [ClaimView(row={**row, "id": i + 1}, actors=[], span_text="", before="", after="")
              for i, row in enumerate(rows)]
    assert disagreements(claims, DOCUMENTS, single_day=single_day) == _pairwise(claims, single_day)
