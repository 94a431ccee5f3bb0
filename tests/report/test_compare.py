"""Who disagrees with whom inside an incident, and how many sources are independent, on the fixture store."""

from __future__ import annotations

from tawthiq.report.compare import disagreements, independence, independent_source_total, speaker_key
from tawthiq.report.records import ClaimView, Record, load_record
from tawthiq.store import Store
from tests.fixtures.store_builder import BuiltStore


def _claims(record: Record, built: BuiltStore, *keys: str) -> list[ClaimView]:
    return [record.claims[built.claims[k]] for k in keys]


def test_totals_from_different_speakers_disagree_copies_speak_with_their_original(
    store: Store, built: BuiltStore
) -> None:
    record = load_record(store)
    claims = _claims(record, built, "wire_total", "copy_total", "review_total", "review_security", "wire_hamlet")
    found = disagreements(claims, record.documents)
    assert set(found) == {built.claims[k] for k in ("wire_total", "copy_total", "review_total")}
    # The copy repeats the wire's figure: the commission's 1,450 sees one disagreeing figure (1,200), listed once.
    against_1450 = found[built.claims["review_total"]]
    assert [(d.figure, d.speaker, d.compatible) for d in against_1450] == [(1200, "the Syrian Network Monitor", True)]


def test_ranges_that_cannot_both_be_true_are_incompatible(store: Store, built: BuiltStore) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE claims SET high = 1300 WHERE id = ?", (built.claims["wire_total"],))  # 1,200-1,300
    record = load_record(store)
    found = disagreements(_claims(record, built, "wire_total", "review_total"), record.documents)
    assert [d.compatible for d in found[built.claims["review_total"]]] == [False]


def test_one_day_figures_are_local_unless_the_incident_is_one_day(store: Store, built: BuiltStore) -> None:
    with store.transaction() as conn:  # the village toll loses its fine place: only its day makes it local
        conn.execute("UPDATE claims SET where_prec = 4 WHERE id = ?", (built.claims["wire_hamlet"],))
    record = load_record(store)
    claims = _claims(record, built, "wire_total", "wire_hamlet")
    assert disagreements(claims, record.documents) == {}
    assert set(disagreements(claims, record.documents, single_day=True)) == {c.id for c in claims}


def test_same_speaker_spelled_differently_is_not_a_contradiction(store: Store, built: BuiltStore) -> None:
    record = load_record(store)
    wire = record.claims[built.claims["wire_total"]]
    assert speaker_key(wire, record.documents) == "syrian network monitor"
    with store.transaction() as conn:
        conn.execute("UPDATE claims SET attributed_to = 'According to the  SYRIAN Network Monitor', best = 1450"
                     " WHERE id = ?", (built.claims["review_total"],))
    record = load_record(store)
    found = disagreements(_claims(record, built, "wire_total", "review_total"), record.documents)
    assert found == {}


def test_independence_counts_originals_only(store: Store, built: BuiltStore) -> None:
    record = load_record(store)
    coast = independence(_claims(record, built, "wire_total", "copy_total", "review_total"), record.documents)
    assert coast.count == 2
    assert [d.id for d in coast.copies] == [built.documents["copy"]]
    only_copy = independence(_claims(record, built, "copy_total"), record.documents)
    assert only_copy.count == 1 and only_copy.originals == []  # the copy stands for its original, once
    assert independent_source_total(record.documents) == 3
