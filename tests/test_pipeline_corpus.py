"""End to end on the shared English corpus: what issue 2 says the record must show."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tawthiq.pipeline import ingest_paths, regroup
from tawthiq.store import open_store
from tests.corpus_record import claims_of, ingest_corpora, rows_of

LONG_READ = "000_95fd2f548719c6e5.txt"
NEWS = "002_31f453a07f26236c.txt"


@pytest.fixture(scope="module")
def db(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_corpora(tmp_path_factory, "e2e", [corpus], 2)


@pytest.fixture
def conn(db: Path) -> Iterator[sqlite3.Connection]:
    yield from rows_of(db)


def one(rows: list[sqlite3.Row], **where: object) -> sqlite3.Row:
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) >= 1, f"no claim with {where}"
    return found[0]


def test_observatory_tolls_from_the_news_report(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, NEWS)
    total = one(rows, best=1300, population="total", outcome="killed")
    civilians = one(rows, best=970, population="civilians", outcome="killed")
    for claim in (total, civilians):
        assert claim["attributed_to"] == "Syrian Observatory for Human Rights"
        assert claim["qualifier"] == "more_than" and claim["high"] is None
        assert claim["date_start"].startswith("2025-03") and claim["date_end"].startswith("2025-03")
    assert civilians["community"] == "Alawite"


def test_places_and_the_unverified_account(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, NEWS)
    assert any(r["admin1"] == "Latakia" and "Qabo" in (r["place"] or "") for r in rows)
    account = [r for r in rows if r["date_start"] == "2025-03-07" and r["admin1"] == "Hama"]
    assert account and all(r["caveat"] == "not_independently_verified" for r in account)
    assert one(rows, best=100, high=999, admin1="Hama", outcome="killed")


def test_inquiry_figures_from_the_long_read(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, LONG_READ)
    inquiry = "Syrian government national inquiry"
    victims = one(rows, best=1426)
    security = one(rows, best=238, population="security_forces")
    suspects = one(rows, best=298, population="suspects", kind="actor_count")
    for claim in (victims, security, suspects):
        assert claim["attributed_to"] == inquiry
        assert claim["date_start"].startswith("2025-03")


def test_dates_resolved_in_the_long_read(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, LONG_READ)
    checkpoints = one(rows, best=6, outcome="killed")
    assert checkpoints["date_start"] == "2025-03-06" and checkpoints["admin1"] == "Tartus"
    assert checkpoints["qualifier_text"].lower() == "half a dozen"
    roof = [r for r in rows if "roof" in r["sentence"] and r["kind"] == "event"]
    assert roof and roof[0]["date_start"] == "2025-03-07" and roof[0]["admin1"] == "Tartus"
    houla = one(rows, best=100, qualifier="more_than")
    assert houla["date_start"].startswith("2012") and houla["admin1"] == "Homs"
    hama = one(rows, best=25000)
    assert hama["date_start"].startswith("1982") and hama["admin1"] == "Hama"


def test_one_coastal_incident_with_both_sources_side_by_side(conn: sqlite3.Connection) -> None:
    incidents = conn.execute("SELECT * FROM incidents").fetchall()
    coastal = [i for i in incidents if (i["date_start"] or "").startswith("2025-03")]
    assert len(coastal) == 1
    members = conn.execute(
        "SELECT c.best, d.path FROM incident_claims ic JOIN claims c ON c.id = ic.claim_id "
        "JOIN documents d ON d.id = c.document_id WHERE ic.incident_id = ?", (coastal[0]["id"],)).fetchall()
    bests = {m["best"] for m in members}
    assert {1300, 970, 1426, 238} <= bests
    assert {Path(m["path"]).name for m in members} == {LONG_READ, NEWS}
    disagreements = json.loads(coastal[0]["contradictions"])
    assert any("1,426" in s and "1,300" in s for s in disagreements)
    assert coastal[0]["independent_sources"] >= 3
    others = {i["date_start"][:4] for i in incidents if i["id"] != coastal[0]["id"]}
    assert {"2012", "1982"} <= others


def test_cleaning_and_publication_date_of_the_long_read(conn: sqlite3.Connection) -> None:
    doc = conn.execute("SELECT * FROM documents WHERE path LIKE ?", (f"%{LONG_READ}",)).fetchone()
    text = doc["text"]
    for chrome in ("Become a member", "Advertisement", "spot_img", "HomeBrasil"):
        assert chrome not in text
    for repeated in ("rustled the curtains beside him.", "could finally come to an end."):
        assert text.count(repeated) == 1
    assert "braceletSectarian" not in text
    assert doc["published_inferred"] == 1 and doc["published_at"] is None
    assert dt.date.fromisoformat(doc["not_before"]) >= dt.date(2025, 8, 27)
    captions = conn.execute("SELECT * FROM captions WHERE document_id = ?", (doc["id"],)).fetchall()
    assert any(c["date"] == "2025-08-27" for c in captions)
    assert all(c["text"] not in text for c in captions)


def test_every_claim_points_at_its_sentence(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT c.*, d.text AS doc_text FROM claims c JOIN documents d ON d.id = c.document_id")
    for r in rows:
        assert r["doc_text"][r["span_start"] : r["span_end"]] == r["sentence"]
        if r["quantity_start"] is not None:
            assert r["span_start"] <= r["quantity_start"] < r["quantity_end"] <= r["span_end"]


def test_reingesting_is_a_no_op(db: Path, corpus: Path) -> None:
    before = sqlite3.connect(db).execute("SELECT count(*) FROM claims").fetchone()[0]
    with open_store(db) as store:
        result = ingest_paths(store, [corpus])
    assert not result.added and len(result.unchanged) == 2
    assert sqlite3.connect(db).execute("SELECT count(*) FROM claims").fetchone()[0] == before


def test_regrouping_keeps_incident_ids_and_the_audit_chain_holds(db: Path) -> None:
    from tawthiq.evidence.audit import verify

    def ids() -> dict[str, int]:
        return {r[0]: r[1] for r in sqlite3.connect(db).execute("SELECT key, id FROM incidents")}

    before = ids()
    with open_store(db) as store:
        regroup(store)
        with store.transaction() as conn:
            assert verify(conn).ok
    assert ids() == before


def test_captions_carry_their_own_language(conn: sqlite3.Connection) -> None:
    languages = {r[0] for r in conn.execute("SELECT language FROM captions")}
    assert languages == {"en"}
