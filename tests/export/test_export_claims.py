"""Claims exported as JSONL and CSV: every field there, every sentence the document's own text, round trips."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tawthiq.errors import ExportError
from tawthiq.export.claims import COLUMNS, ClaimFilters, export_claims, iter_claim_rows, write_csv, write_jsonl
from tawthiq.store import Store
from tests.fixtures.store_builder import BuiltStore

REQUIRED = (
    "document_sha256", "kind", "outcome", "population", "low", "best", "high", "qualifier", "date_start",
    "date_end", "date_prec", "place", "admin1", "latitude", "longitude", "where_prec", "attributed_to", "caveat",
    "span_start", "span_end", "sentence", "claim_id", "document_title", "source", "qualifier_text", "community",
    "event_type", "actors", "language", "incident_id",
)


def _texts(store: Store) -> dict[str, str]:
    return {r["sha256"]: r["text"] for r in store.query("SELECT sha256, text FROM documents")}


def test_rows_have_every_field_and_their_sentence_is_the_document_text(store: Store, built: BuiltStore) -> None:
    rows = list(iter_claim_rows(store))
    assert len(rows) == len(built.claims)
    assert set(REQUIRED) <= set(COLUMNS)
    texts = _texts(store)
    for row in rows:
        assert tuple(row) == COLUMNS
        assert texts[row["document_sha256"]][row["span_start"] : row["span_end"]] == row["sentence"]


def test_row_values(store: Store, built: BuiltStore) -> None:
    rows = {r["claim_id"]: r for r in iter_claim_rows(store)}
    total = rows[built.claims["wire_total"]]
    assert (total["low"], total["best"], total["high"], total["qualifier"]) == (1200, 1200, None, "more_than")
    assert total["attributed_to"] == "the Syrian Network Monitor" and total["source"] == "Levant Wire"
    assert total["incident_id"] == built.incidents["coast-2025"]
    assert total["actors"] == [{"name": "government-aligned gunmen", "role": "perpetrator"}]
    copy = rows[built.claims["copy_total"]]
    assert copy["copy_of"] == built.sha256["wire"] and copy["document_sha256"] == built.sha256["copy"]
    arabic = rows[built.claims["arabic_2012"]]
    assert arabic["language"] == "ar" and arabic["qualifier_text"] == "ما لا يقل عن"
    assert rows[built.claims["review_displaced"]]["incident_id"] is None


def test_filters(store: Store, built: BuiltStore) -> None:
    def ids(filters: ClaimFilters) -> set[int]:
        return {r["claim_id"] for r in iter_claim_rows(store, filters)}

    assert ids(ClaimFilters(incident_id=built.incidents["village-2012"])) == {
        built.claims["review_2012"], built.claims["arabic_2012"]}
    assert ids(ClaimFilters(kind="verification_caveat")) == {built.claims["wire_caveat"]}
    assert ids(ClaimFilters(language="ar")) == {built.claims["arabic_2012"]}
    assert ids(ClaimFilters(outcome="displaced", document_sha256=built.sha256["review"])) == {
        built.claims["review_displaced"]}
    assert ids(ClaimFilters(outcome="injured")) == set()


def test_rows_stream_from_a_cursor(store: Store) -> None:
    rows = iter_claim_rows(store)
    first = next(rows)  # a generator: the first row comes before the rest are read
    assert first["claim_id"] == 1
    assert len(list(rows)) == 11


def test_jsonl_file_round_trips(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonl"
    assert export_claims(store, "jsonl", out) == 12
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(iter_claim_rows(store))
    assert "ناشطين محليين" in out.read_text(encoding="utf-8")  # Arabic kept as text, not \\u escapes
    texts = _texts(store)
    for line in lines:
        obj = json.loads(line)
        assert texts[obj["document_sha256"]][obj["span_start"] : obj["span_end"]] == obj["sentence"]


def test_csv_file_round_trips(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    assert export_claims(store, "csv", out) == 12
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        read = list(reader)
    texts = _texts(store)
    for got, want in zip(read, iter_claim_rows(store), strict=True):
        assert got["sentence"] == want["sentence"]
        assert texts[got["document_sha256"]][int(got["span_start"]) : int(got["span_end"])] == got["sentence"]
        assert got["best"] == ("" if want["best"] is None else str(want["best"]))
        assert json.loads(got["actors"]) == want["actors"]


def test_refuses_to_overwrite_and_leaves_no_partial_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="already exists"):
        export_claims(store, "csv", out)
    assert out.read_text(encoding="utf-8") == "keep me"
    export_claims(store, "csv", out, overwrite=True)
    assert out.read_text(encoding="utf-8").startswith("claim_id,")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    with pytest.raises(ExportError, match="format"):
        export_claims(store, "xml", tmp_path / "x.xml")  # type: ignore[arg-type]
    with pytest.raises(ExportError, match="does not exist"):
        export_claims(store, "csv", tmp_path / "missing" / "x.csv")


def test_spreadsheet_safe_csv_neutralises_formulas() -> None:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(sentence="=HYPERLINK(\"http://x\")", attributed_to="-1+2", best=-3)
    plain, safe = io.StringIO(newline=""), io.StringIO(newline="")
    write_csv([row], plain)
    write_csv([row], safe, spreadsheet_safe=True)
    got_plain = next(csv.DictReader(io.StringIO(plain.getvalue())))
    got_safe = next(csv.DictReader(io.StringIO(safe.getvalue())))
    assert got_plain["sentence"] == row["sentence"]
    assert got_safe["sentence"] == "'" + row["sentence"] and got_safe["attributed_to"] == "'-1+2"
    assert got_safe["best"] == "-3"  # numbers are data, not formulas


cell_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80) | st.sampled_from(
    ["a\u2028b", "x\u0085y\r\nz", "قُتل \u2029 120", '"quoted", comma'])


@given(st.lists(st.fixed_dictionaries({"sentence": cell_text, "place": st.none() | cell_text,
                                       "best": st.none() | st.integers(-10**6, 10**9)}), max_size=5))
def test_csv_and_jsonl_writers_round_trip_any_text(items: list[dict[str, Any]]) -> None:
    rows = [{**dict.fromkeys(COLUMNS), **item} for item in items]
    jsonl, table = io.StringIO(), io.StringIO(newline="")
    assert write_jsonl(rows, jsonl) == len(rows)
    assert write_csv(rows, table) == len(rows)
    assert [json.loads(line) for line in jsonl.getvalue().splitlines()] == rows
    read = list(csv.DictReader(io.StringIO(table.getvalue(), newline="")))
    assert [r["sentence"] for r in read] == [r["sentence"] for r in rows]
    assert [r["place"] for r in read] == [r["place"] or "" for r in rows]
    assert [r["best"] for r in read] == ["" if r["best"] is None else str(r["best"]) for r in rows]
