"""The HTML report written from the fixture store, parsed and checked for real content."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from tawthiq.errors import ExportError
from tawthiq.report import build_report, write_report
from tawthiq.report.wording import DASH
from tawthiq.store import Store
from tests.fixtures.store_builder import SCRIPT, BuiltStore, add_synthetic_claims

Page = lxml.html.HtmlElement


def _doc_text(store: Store, document_id: int) -> str:
    return str(store.query("SELECT text FROM documents WHERE id = ?", (document_id,))[0]["text"])


def _text(el: Page) -> str:
    return " ".join(el.text_content().split())


def _figures_cell(page: Page, incident_id: int, claim_id: int) -> Page:
    row = f'//article[@id="inc-{incident_id}"]//tr[@data-claim="{claim_id}"]'
    cells = page.xpath(f'{row}/td[contains(@class, "figures")]')
    assert len(cells) == 1, f"claim {claim_id} not in incident {incident_id}"
    return cells[0]


def test_header_counts_what_the_record_holds(page: Page) -> None:
    counts = {key: page.get_element_by_id(f"count-{key}").text_content() for key in
              ("documents", "copies", "independent", "claims", "incidents")}
    # 4 documents, 1 a copy; Levant Wire, Coast Review and the Arabic outlet are the 3 independent publishers.
    assert counts == {"documents": "4", "copies": "1", "independent": "3", "claims": "12", "incidents": "3"}


def test_incident_shows_both_tolls_with_contradiction_marked(page: Page, built: BuiltStore) -> None:
    coast = built.incidents["coast-2025"]
    total_1200 = _figures_cell(page, coast, built.claims["wire_total"])
    total_1450 = _figures_cell(page, coast, built.claims["review_total"])
    assert [a.text for a in total_1200.xpath('.//a[@data-role="best"]')] == ["1,200"]
    assert [a.text for a in total_1450.xpath('.//a[@data-role="best"]')] == ["1,450"]
    for cell in (total_1200, total_1450):
        assert "contradiction" in cell.get("class").split()
        assert cell.xpath('.//span[@class="contra-marker"]')
    assert "1,450" in _text(total_1200) and "the official commission" in _text(total_1200)
    # The stored contradiction sentence is shown too.
    assert "gives 1,450" in _text(page.get_element_by_id(f"inc-{coast}"))


def test_agreeing_or_incomparable_cells_are_not_marked(page: Page, built: BuiltStore) -> None:
    coast = built.incidents["coast-2025"]
    # A breakdown (security forces), another population (civilians) and a village toll are not contradictions.
    for key in ("review_security", "review_suspects", "wire_civilians", "wire_hamlet"):
        cell = _figures_cell(page, coast, built.claims[key])
        assert "contradiction" not in cell.get("class").split(), key


def test_2012_incident_contradiction_across_languages(page: Page, built: BuiltStore) -> None:
    village = built.incidents["village-2012"]
    for key in ("review_2012", "arabic_2012"):
        cell = _figures_cell(page, village, built.claims[key])
        assert "contradiction" in cell.get("class").split()
        assert "compatible ranges" in _text(cell)  # more than 90 and at least 120 can both be true


def test_every_figure_links_to_evidence_whose_span_is_the_document_text(page: Page, store: Store) -> None:
    figures = page.xpath('//a[contains(@class, "figure")]')
    assert len(figures) >= 20
    claims = {int(r["id"]): r for r in store.query("SELECT * FROM claims")}
    for link in figures:
        target = link.get("href")
        assert target.startswith("#ev-")
        evidence = page.get_element_by_id(target[1:])
        claim = claims[int(target[len("#ev-"):])]
        start, end = int(evidence.get("data-start")), int(evidence.get("data-end"))
        assert (start, end) == (claim["span_start"], claim["span_end"])
        span = evidence.xpath('.//span[@class="span"]')[0]
        assert span.text_content() == _doc_text(store, claim["document_id"])[start:end]
        assert link.text.replace(",", "") == str(claim[link.get("data-role")])
        marked = evidence.xpath('.//mark[@class="quantity"]')
        if claim["quantity_text"]:
            assert [m.text_content() for m in marked] == [claim["quantity_text"]]


def test_evidence_for_every_claim_and_all_internal_links_resolve(page: Page, store: Store) -> None:
    ids = set(page.xpath("//@id"))
    for row in store.query("SELECT id FROM claims"):
        assert f"ev-{row['id']}" in ids
    hrefs = page.xpath("//@href")
    assert all(h.startswith("#") and h[1:] in ids for h in hrefs), [h for h in hrefs if h[1:] not in ids]


def test_document_html_is_escaped_never_run(report_path: Path, page: Page, built: BuiltStore) -> None:
    raw = report_path.read_text(encoding="utf-8")
    assert not page.xpath("//script")
    assert SCRIPT not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    evidence = page.get_element_by_id(f"ev-{built.claims['wire_hamlet']}")
    assert SCRIPT in evidence.text_content()  # shown as text, exactly
    copy = page.get_element_by_id(f"doc-{built.documents['copy']}")
    assert SCRIPT in copy.xpath(".//h3")[0].text_content()
    csp = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]


def test_self_contained(report_path: Path, page: Page) -> None:
    assert not page.xpath("//*[@src] | //link[@rel='stylesheet'] | //iframe | //object")
    assert not re.search(r"""(?:href|src)=["']?(?:https?:)?//""", report_path.read_text(encoding="utf-8"))


def test_arabic_claim_right_to_left_with_english_gloss(page: Page, built: BuiltStore) -> None:
    claim_id = built.claims["arabic_2012"]
    sentence = page.get_element_by_id(f"ev-{claim_id}").xpath('.//blockquote[@class="sentence"]')[0]
    assert (sentence.get("dir"), sentence.get("lang")) == ("rtl", "ar")
    row = page.xpath(f'//tr[@data-claim="{claim_id}"]')[0]
    attributed = row.xpath('./td[@class="attributed"]/bdi')[0]
    assert attributed.get("dir") == "rtl" and attributed.text == "ناشطين محليين"
    assert "English: at least 120" in _text(row)
    english = page.get_element_by_id(f"ev-{built.claims['review_2012']}").xpath('.//blockquote')[0]
    assert english.get("dir") != "rtl"


def test_copy_marked_and_not_counted_as_independent(page: Page, built: BuiltStore) -> None:
    copy = page.get_element_by_id(f"doc-{built.documents['copy']}")
    assert "is-copy" in copy.get("class").split()
    status = _text(copy.xpath('.//dd[@class="copy-status"]')[0])
    assert status.startswith("republished copy of") and "not counted as an independent source" in status
    wire = page.get_element_by_id(f"doc-{built.documents['wire']}")
    assert _text(wire.xpath('.//dd[@class="copy-status"]')[0]).startswith("independent; republished by")
    coast = page.get_element_by_id(f"inc-{built.incidents['coast-2025']}")
    independent = coast.xpath('.//dd[@class="independent"]')[0]
    assert independent.get("data-count") == "2"  # Levant Wire + Coast Review; the Aggregator copy is not counted
    assert [a.text_content() for a in independent.xpath('.//a[@class="copy"]')] == ["Aggregator Daily"]


def test_documents_show_publication_inference_removals_and_captions(page: Page, built: BuiltStore) -> None:
    review = page.get_element_by_id(f"doc-{built.documents['review']}")
    published = _text(review.xpath('.//dd[@class="published"]')[0])
    assert "August 2025" in published and "inferred" in published and "latest dated caption" in published
    removals = {r.get("data-reason"): r.text_content() for r in review.xpath('.//span[@class="removal"]')}
    assert removals == {"duplicate_sentence": "duplicate sentence: 2", "navigation": "navigation: 1"}
    captions = [_text(li) for li in review.xpath('.//ul[@class="captions"]/li')]
    assert captions[0].startswith("Mourners at a cemetery") and "dated 2025-08-30" in captions[0]


def test_incident_dates_in_words_and_governorates(page: Page, built: BuiltStore) -> None:
    coast = page.get_element_by_id(f"inc-{built.incidents['coast-2025']}")
    assert _text(coast.xpath('.//dd[@class="when"]')[0]) == f"6{DASH}10 March 2025 (within a few days (2{DASH}6))"
    assert _text(coast.xpath('.//dd[@class="admin1"]')[0]) == "Latakia, Tartus"
    city = page.get_element_by_id(f"inc-{built.incidents['city-1982']}")
    assert _text(city.xpath('.//dd[@class="when"]')[0]) == "February 1982 (within the month)"


def test_timeline_has_one_linked_mark_per_incident_in_three_eras(page: Page, built: BuiltStore) -> None:
    svg = page.xpath('//section[@id="timeline"]//*[local-name()="svg"]')[0]
    links = svg.xpath('.//*[local-name()="a"]/@href')
    assert sorted(links) == sorted(f"#inc-{i}" for i in built.incidents.values())
    eras = [t.text for t in svg.xpath('.//*[local-name()="text"][@class="tl-era"]')]
    assert eras == ["1982", "2012", "2025"]
    assert len(svg.xpath('.//*[local-name()="text"][@class="tl-break"]')) == 2
    bands = svg.xpath('.//*[local-name()="rect"][@class="tl-band"]')
    bars = svg.xpath('.//*[local-name()="rect"][@class="tl-bar"]')
    assert (len(bands), len(bars)) == (2, 1)  # the month-precise 1982 and 2012 incidents are bands


def test_claims_outside_incidents_are_listed(page: Page, built: BuiltStore) -> None:
    section = page.get_element_by_id("unassigned")
    assert [int(r.get("data-claim")) for r in section.xpath(".//tr[@data-claim]")] == [built.claims["review_displaced"]]


def test_span_that_does_not_match_its_sentence_is_flagged(store: Store, built: BuiltStore) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE claims SET span_start = span_start + 3 WHERE id = ?", (built.claims["review_1982"],))
    page = lxml.html.fromstring(build_report(store))
    evidence = page.get_element_by_id(f"ev-{built.claims['review_1982']}")
    assert evidence.xpath('.//p[contains(@class, "span-mismatch")]')
    assert page.get_element_by_id("span-mismatches") is not None
    other = page.get_element_by_id(f"ev-{built.claims['review_2012']}")
    assert other.xpath('.//p[contains(@class, "span-mismatch")]') == []


def test_refuses_to_overwrite_unless_asked(store: Store, report_path: Path) -> None:
    before = report_path.read_bytes()
    with pytest.raises(ExportError, match="already exists"):
        write_report(store, report_path)
    assert report_path.read_bytes() == before
    write_report(store, report_path, overwrite=True)
    assert report_path.read_bytes() != b""


def test_few_hundred_claims_stay_under_a_megabyte(store: Store, tmp_path: Path) -> None:
    add_synthetic_claims(store, 400, incidents=30)
    summary = write_report(store, tmp_path / "big.html")
    assert summary.claims == 412 and summary.incidents == 33
    assert summary.size_bytes < 1_000_000, summary.size_bytes
    page = lxml.html.fromstring((tmp_path / "big.html").read_bytes())
    assert len(page.xpath('//article[@class="evidence"]')) == 412


def test_empty_store_still_reports(tmp_path: Path) -> None:
    from tawthiq.store import open_store

    with open_store(tmp_path / "empty.db") as empty:
        page = lxml.html.fromstring(build_report(empty))
    assert page.get_element_by_id("count-claims").text == "0"
    assert "No dated incidents" in page.get_element_by_id("timeline").text_content()
