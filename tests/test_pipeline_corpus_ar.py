"""End to end on the shared Arabic corpus (with the English one beside it): what issue 8 says the record must show.

The facts checked are those ../shared/corpus-ar/README.md lists, read by hand; no sentence of the pages is copied here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.corpus_record import claims_of, ingest_corpora, rows_of

SNHR_COAST = "01_rebaznews-snhr-coast-803.html"
SOHR_COAST = "04_beirut24-sohr-coast-2146.html"
SWEIDA = "09_megaphone-sohr-snhr-sweida-594.html"
HOULA = "15_syriansg-houla-108.html"
LONG_READ = "000_95fd2f548719c6e5.txt"
NEWS = "002_31f453a07f26236c.txt"
SOHR, SNHR = "Syrian Observatory for Human Rights", "Syrian Network for Human Rights"
INQUIRY = "Syrian government national inquiry"


@pytest.fixture(scope="module")
def db(corpus: Path, corpus_ar: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_corpora(tmp_path_factory, "e2e_ar", [corpus_ar, corpus], 6)


@pytest.fixture
def conn(db: Path) -> Iterator[sqlite3.Connection]:
    yield from rows_of(db)


def one(rows: list[sqlite3.Row], **where: object) -> sqlite3.Row:
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, f"{len(found)} claims with {where}"
    return found[0]


def parent_of(rows: list[sqlite3.Row], part: sqlite3.Row) -> sqlite3.Row | None:
    return next((r for r in rows if r["seq"] == part["parent_seq"]), None) if part["parent_seq"] is not None else None


def test_every_arabic_document_is_read_as_arabic(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT path, language FROM documents").fetchall()
    languages = {Path(r["path"]).name: r["language"] for r in rows}
    assert all(languages[n] == "ar" for n in (SNHR_COAST, SOHR_COAST, SWEIDA, HOULA))
    assert languages[LONG_READ] == languages[NEWS] == "en"
    for name in (SNHR_COAST, SOHR_COAST, SWEIDA, HOULA):
        assert {r["language"] for r in claims_of(conn, name)} == {"ar"}


def test_snhr_preliminary_coastal_toll(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, SNHR_COAST)
    toll = one(rows, best=803)
    assert (toll["outcome"], toll["population"], toll["qualifier"]) == ("killed", "total", "exact")
    assert toll["attributed_to"] == SNHR and toll["caveat"] == "preliminary"
    # the events ran 6–10 March; 11 March is the day the report came out, not an event date
    assert (toll["date_start"], toll["date_end"]) == ("2025-03-06", "2025-03-10")
    missing = one(rows, outcome="missing")
    assert missing["qualifier"] == "tens" and missing["quantity_text"] == "عشرات"  # "tens": a vague count
    assert (missing["low"], missing["high"]) == (10, 99)
    assert missing["attributed_to"] == SNHR and missing["date_start"] == "2025-03-06"


def test_sohr_yesterday_by_village(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, SOHR_COAST)
    tartus, latakia = one(rows, best=16), one(rows, best=41)
    assert (tartus["admin1"], latakia["admin1"]) == ("Tartus", "Latakia")
    villages = {"Tartus": [2, 7, 7], "Latakia": [3, 38]}
    for total, admin1 in ((tartus, "Tartus"), (latakia, "Latakia")):
        assert total["attributed_to"] == SOHR and total["outcome"] == "killed"
        assert total["date_start"] == total["date_end"] == "2025-03-20"  # "yesterday", published 21 March
        assert total["parent_seq"] is None
        parts = [r for r in rows if r["parent_seq"] == total["seq"]]
        assert sorted(p["best"] for p in parts) == sorted(villages[admin1])
        for part in parts:  # each part inherits the toll's date, outcome and speaker, with a place of its own
            assert (part["outcome"], part["attributed_to"], part["date_start"]) == ("killed", SOHR, "2025-03-20")
            assert part["admin1"] == admin1 and part["place"] not in (None, admin1)
    assert {r["place"] for r in rows if r["parent_seq"] == tartus["seq"]} >= {"Baniyas"}
    # villages the gazetteer does not know are kept, under the governorate their list gives
    sharashir = next(r for r in rows if r["best"] == 3 and r["parent_seq"] == latakia["seq"])
    assert sharashir["place_parent"] == "Latakia" and sharashir["where_prec"] >= 2


def test_sohr_cumulative_toll_by_governorate(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, SOHR_COAST)
    total = one(rows, best=2146)
    assert (total["outcome"], total["population"]) == ("killed", "total")  # civilians and military together
    assert total["admin1"] is None and total["attributed_to"] == SOHR
    assert (total["date_start"], total["date_end"]) == ("2025-03-06", "2025-03-20")
    by_governorate = {"Latakia": 836, "Tartus": 503, "Hama": 262, "Homs": 13}
    for admin1, best in by_governorate.items():
        part = one(rows, best=best)
        assert (part["admin1"], part["where_prec"]) == (admin1, 4)  # coded as the governorate (ADMIN1)
        assert (part["outcome"], part["attributed_to"]) == ("killed", SOHR)
        assert (part["date_start"], part["date_end"]) == ("2025-03-06", "2025-03-20")
        assert parent_of(rows, part) == total  # linked, so that nobody adds 836 to 2146


def test_massacres_are_counted_as_events_not_deaths(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, SOHR_COAST)
    assert not [r for r in rows if r["best"] == 62]
    assert all(r["kind"] != "event" for r in rows)  # a threat to confiscate property is no act of violence


def test_sweida_observatory_breakdown(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, SWEIDA)
    toll = one(rows, best=600)
    assert (toll["qualifier"], toll["attributed_to"], toll["admin1"]) == ("about", SOHR, "As-Suwayda")
    assert (toll["date_start"], toll["date_end"]) == ("2025-07-13", "2025-07-16")
    headline = one(rows, best=594)
    assert (headline["date_start"], headline["date_end"]) == ("2025-07-13", "2025-07-16")  # 18 July is the dateline
    assert headline["date_inferred"] == 1 and headline["admin1"] == "As-Suwayda"
    parts = {r["best"]: r for r in rows if r["parent_seq"] == toll["seq"]}
    assert parts[300]["community"] == "Druze"
    assert parts[257]["population"] == parts[15]["population"] == "security_forces"
    assert parts[21]["community"] == "Bedouin"
    media = [r for r in parts.values() if r["population"] == "media_workers"]
    assert len(media) == 1 and media[0]["best"] == 1
    for part in parts.values():
        assert (part["attributed_to"], part["admin1"], part["date_start"]) == (SOHR, "As-Suwayda", "2025-07-13")
    executions = {r["best"]: r for r in rows if r["best"] in (83, 3) and r["parent_seq"] == toll["seq"]}
    assert set(executions) == {83, 3}
    actors = {a["name"] for a in json.loads(executions[3]["actors"])}
    assert "Druze armed groups" in actors


def test_sweida_damascus_strike(conn: sqlite3.Connection) -> None:
    rows = [r for r in claims_of(conn, SWEIDA) if r["admin1"] == "Damascus"]
    assert sorted((r["best"], r["population"]) for r in rows) == [(1, "women"), (2, "total")]
    assert all(r["outcome"] == "killed" and r["parent_seq"] is None for r in rows)


def test_sweida_network_toll(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, SWEIDA)
    toll = one(rows, best=169)
    assert (toll["attributed_to"], toll["caveat"], toll["outcome"]) == (SNHR, "preliminary", "killed")
    assert (toll["date_start"], toll["date_end"]) == ("2025-07-13", "2025-07-16")  # "the same period"
    children, women = one(rows, best=5), one(rows, best=6)
    assert (children["population"], women["population"]) == ("children", "women")
    for part in (children, women):
        assert parent_of(rows, part) == toll and part["attributed_to"] == SNHR and part["outcome"] == "killed"
    injured = one(rows, best=200)
    assert (injured["outcome"], injured["attributed_to"], injured["parent_seq"]) == ("injured", SNHR, None)
    assert injured["date_start"] == "2025-07-13"


def test_houla_in_arabic_indic_digits(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, HOULA)
    toll = one(rows, best=108)
    assert (toll["outcome"], toll["population"], toll["place"], toll["admin1"]) == ("killed", "total", "Houla", "Homs")
    assert toll["quantity_text"] == "١٠٨"
    assert toll["date_start"] == "2012-01-01" and toll["date_inferred"] == 1  # the page states no publication date
    children, women = one(rows, best=49), one(rows, best=32)
    assert (children["population"], women["population"]) == ("children", "women")
    assert parent_of(rows, children) == toll and parent_of(rows, women) == toll
    actors = {a["name"]: a["role"] for a in json.loads(toll["actors"])}
    assert actors.get("Assad regime forces") == "perpetrator"


def test_votes_and_states_are_not_casualties(conn: sqlite3.Connection) -> None:
    figures = {r["best"] for r in claims_of(conn, HOULA) if r["best"] is not None}
    assert not figures & {41, 6, 15, 11}
    # a vote on 1 June condemning the massacre is not an act of violence on 1 June
    assert not [r for r in claims_of(conn, HOULA) if (r["date_start"] or "").startswith("2012-06")]


def test_navigation_dates_never_become_claims(conn: sqlite3.Connection) -> None:
    rows = claims_of(conn, SWEIDA)
    assert not [r for r in rows if (r["date_start"] or "").startswith("2026")]
    published = conn.execute("SELECT published_at FROM documents WHERE path LIKE ?", (f"%{SWEIDA}",)).fetchone()[0]
    assert published == "2025-07-18"


def incident_of(conn: sqlite3.Connection, name: str, best: int) -> int:
    row = conn.execute(
        """SELECT ic.incident_id FROM incident_claims ic JOIN claims c ON c.id = ic.claim_id
           JOIN documents d ON d.id = c.document_id WHERE d.path LIKE ? AND c.best = ?""", (f"%{name}", best)
    ).fetchone()
    assert row is not None, f"{best} of {name} is in no incident"
    return int(row[0])


def test_one_coastal_incident_across_languages(conn: sqlite3.Connection) -> None:
    coast = incident_of(conn, NEWS, 1300)
    assert incident_of(conn, SOHR_COAST, 2146) == coast  # SOHR in Arabic beside SOHR in English
    assert incident_of(conn, SNHR_COAST, 803) == coast
    assert incident_of(conn, LONG_READ, 1426) == coast  # the inquiry
    speakers = {r[0] for r in conn.execute(
        "SELECT DISTINCT c.attributed_to FROM incident_claims ic JOIN claims c ON c.id = ic.claim_id"
        " WHERE ic.incident_id = ?", (coast,))}
    assert {SOHR, SNHR, INQUIRY} <= speakers
    languages = {r[0] for r in conn.execute(
        "SELECT DISTINCT c.language FROM incident_claims ic JOIN claims c ON c.id = ic.claim_id"
        " WHERE ic.incident_id = ?", (coast,))}
    assert languages == {"ar", "en"}


def test_sweida_is_its_own_incident(conn: sqlite3.Connection) -> None:
    sweida = incident_of(conn, SWEIDA, 600)
    assert sweida != incident_of(conn, NEWS, 1300)
    assert incident_of(conn, SWEIDA, 169) == sweida
    start, end = conn.execute("SELECT date_start, date_end FROM incidents WHERE id = ?", (sweida,)).fetchone()
    assert start.startswith("2025-07") and end.startswith("2025-07")


def test_houla_joins_the_long_read(conn: sqlite3.Connection) -> None:
    houla = incident_of(conn, HOULA, 108)
    assert incident_of(conn, LONG_READ, 100) == houla
    admin1 = json.loads(conn.execute("SELECT admin1 FROM incidents WHERE id = ?", (houla,)).fetchone()[0])
    assert admin1 == ["Homs"]
