"""The disagreement cell of the incident page and the full list behind it: each disagreeing speaker once, the full
list as a page (no JavaScript) or an HTMX fragment, access rules, escaping, and the page cache's freshness.

The store is our own: one incident whose figures disagree in a known way, with a speaker named by hostile markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape
from playwright.sync_api import Browser, sync_playwright

from tawthiq.report.compare import Disagreement
from tawthiq.store import open_store
from tawthiq.web import WebSettings, create_app
from tawthiq.web.auth import Role, add_user
from tawthiq.web.fragments import _escape, disagreement_summary
from tests.web.conftest import PASSWORD, login, serving
from tests.web.test_browser import CHROMIUM_ARGS, chromium_path

HOSTILE = '<img src=x onerror="document.body.dataset.xss=1">Net'
LABELS = {"compatible": "both could be true", "incompatible": "cannot both be true",
          "partly": "some cannot both be true", "figures": "{n} figures, {low}–{high}",
          "all": "all {n} differing figures", "more_speakers": "and {n} more sources"}
# (claim id, incident, speaker, best figure); claim 6 has no figure, claim 7 is in another incident
CLAIMS = [(1, 1, "Monitor", 100), (2, 1, HOSTILE, 200), (3, 1, HOSTILE, 300), (4, 1, HOSTILE, 900),
          (5, 1, "Wire & Co", 150), (6, 1, "Monitor", None), (7, 2, "Monitor", 40)]
# incident 3: 120 figures, of 8 speakers with many and 12 with one, all different (three pages of the table)
MANY = [(100 + i, 3, f"Lone {i}" if i % 10 == 9 else f"Speaker {i % 8}", 10 + 7 * i) for i in range(120)]
# incident 4: an incident reported by 300 outlets, 1,500 figures (as a monitoring desk's largest incidents are); the
# first outlet reported 44 of them, the largest 40 among them
CROWD = [(1000 + i, 4, "Outlet 000" if i < 40 else f"Outlet {i % 300:03d}", 100_000 + i if i < 40 else 5 + 3 * i)
         for i in range(1500)]


def _build(db: Path) -> None:
    with open_store(db) as store, store.transaction() as conn:
        conn.execute("INSERT INTO sources (id, name, type) VALUES (1, 'Daily Paper', 'media')")
        conn.executemany(
            "INSERT INTO documents (id, sha256, path, media_type, original, text, title, source_id, published_at)"
            " VALUES (?, ?, ?, 'text/plain', ?, ?, ?, 1, '2025-03-10')",
            [(d, f"{d:064x}", f"test/{d}.txt", b"Gunmen killed people.", "Gunmen killed people.", f"Report {d}")
             for d in (1, 2)])
        conn.executemany(
            "INSERT INTO claims (id, document_id, seq, kind, outcome, population, low, best, high, qualifier,"
            " quantity_text, date_start, date_end, date_prec, admin1, attributed_to, span_start, span_end, sentence)"
            " VALUES (?, ?, ?, 'casualty_count', 'killed', 'civilians', ?, ?, ?, 'exact', ?, '2025-03-07',"
            " '2025-03-09', 2, 'Latakia', ?, 0, 21, 'Gunmen killed people.')",
            [(c, 1 + c % 2, c, best, best, best, str(best), speaker) for c, _, speaker, best in CLAIMS + MANY + CROWD])
        conn.executemany(
            "INSERT INTO incidents (id, key, title, event_type, date_start, date_end, date_prec, admin1,"
            " independent_sources, contradictions) VALUES (?, ?, ?, 'Violence against civilians', '2025-03-07',"
            " '2025-03-09', 2, '[\"Latakia\"]', 1, '[]')",
            [(1, "test-1", "Killings in Latakia"), (2, "test-2", "Killings elsewhere"), (3, "test-3", "Many"),
             (4, "test-4", "Crowd")])
        conn.executemany("INSERT INTO incident_claims (incident_id, claim_id) VALUES (?, ?)",
                         [(incident, c) for c, incident, _, _ in CLAIMS + MANY + CROWD])
        add_user(conn, "viewer", PASSWORD, Role.VIEWER)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("disagreements") / "store.db"
    _build(db)
    app = create_app(WebSettings(store_path=db, secure_cookies=False))
    with serving(app) as url:
        yield url, db
    app.state.web.pool.close()


@pytest.fixture(scope="module")
def viewer(site: tuple[str, Path]) -> Iterator[httpx.Client]:
    client = login(site[0], "viewer")
    yield client
    client.close()


def _cell(html: str, claim_id: int) -> str:
    cell = re.search(rf'<td id="diffs-{claim_id}">(.*?)</td>', html, re.S)
    assert cell, f"no disagreement cell for claim {claim_id}"
    return cell.group(1)


def test_each_disagreeing_speaker_is_named_once_with_a_link_to_the_full_list(viewer: httpx.Client) -> None:
    html = viewer.get("/incidents/1").text
    cell = _cell(html, 1)
    # the speaker with one differing figure: that figure, linked to its row, as the full list shows it
    assert '<a href="#claim-5" dir="auto">Wire &amp; Co</a>: 150 (cannot both be true)' in cell
    # the speaker with three: how many and their range, once
    assert cell.count("onerror") == 1 and "3 figures, 200–900 (cannot both be true)" in cell
    assert cell.index("Wire") < cell.index("onerror")  # speakers in the order of their lowest figure
    link = '<a class="all" href="/incidents/1/disagreements/1" hx-get="/incidents/1/disagreements/1"'
    assert link in cell and "all 4 differing figures" in cell
    # when every speaker gives one figure, the cell is the full list: no link to a longer one
    assert "/disagreements/" not in _cell(html, 2) and 'href="#claim-1"' in _cell(html, 2)
    assert 'href="#claim-5"' in _cell(html, 2)
    assert 'id="claim-6"' not in html  # no figure: not a row of the table


def test_the_full_list_is_a_page_without_scripts_and_a_fragment_for_htmx(viewer: httpx.Client) -> None:
    page = viewer.get("/incidents/1/disagreements/1")
    assert page.status_code == 200 and page.text.startswith("<!doctype html>")
    assert '<a href="/incidents/1#claim-1" dir="auto">Killings in Latakia</a>' in page.text  # the way back
    fragment = viewer.get("/incidents/1/disagreements/1", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "<header" not in fragment.text
    for body in (page.text, fragment.text):
        listed = re.findall(r'<a href="/incidents/1#claim-(\d+)" dir="auto">[^<]*</a>: ([\d,]+)', body)
        assert listed == [("5", "150"), ("2", "200"), ("3", "300"), ("4", "900")]
    none = viewer.get("/incidents/2/disagreements/7").text
    assert "No other speaker gives a different figure" in none


def test_anonymous_visitors_are_refused_and_unknown_claims_are_not_found(site: tuple[str, Path],
                                                                          viewer: httpx.Client) -> None:
    with httpx.Client(base_url=site[0], timeout=20) as anonymous:
        refused = anonymous.get("/incidents/1/disagreements/1")
        assert refused.status_code == 303
        assert refused.headers["location"] == "/login?next=/incidents/1/disagreements/1"
        htmx = anonymous.get("/incidents/1/disagreements/1", headers={"HX-Request": "true"})
        assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")
        assert "Wire" not in refused.text + htmx.text
    assert viewer.get("/incidents/1/disagreements/7").status_code == 404  # a claim of another incident
    assert viewer.get("/incidents/1/disagreements/6").status_code == 404  # no figure
    assert viewer.get("/incidents/9/disagreements/1").status_code == 404  # no such incident


def test_a_hostile_speaker_name_is_escaped_in_the_cell_the_page_and_the_fragment(viewer: httpx.Client) -> None:
    bodies = [viewer.get("/incidents/1").text, viewer.get("/incidents/1/disagreements/1").text,
              viewer.get("/incidents/1/disagreements/1", headers={"HX-Request": "true"}).text]
    for body in bodies:
        assert "<img" not in body
        assert "&lt;img src=x onerror=&#34;document.body.dataset.xss=1&#34;&gt;Net" in body


def _rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="claim-(\d+)"', html)]


def test_an_incident_of_many_figures_is_paged_and_every_link_finds_its_row(viewer: httpx.Client) -> None:
    pages = {n: viewer.get(f"/incidents/3?figures={n}").text for n in (1, 2, 3)}
    shown = {n: _rows(html) for n, html in pages.items()}
    assert [len(shown[n]) for n in (1, 2, 3)] == [50, 50, 20]
    assert sorted(shown[1] + shown[2] + shown[3]) == [c for c, *_ in MANY]
    assert _rows(viewer.get("/incidents/3").text) == shown[1]
    assert _rows(viewer.get("/incidents/3?figures=99").text) == shown[3]  # past the end: the last page
    assert _rows(viewer.get("/incidents/3?figures=x").text) == shown[1]
    assert 'rel="next" href="/incidents/3?figures=2#side"' in pages[1] and 'rel="prev"' not in pages[1]
    assert 'rel="prev" href="/incidents/3?figures=2#side"' in pages[3] and 'rel="next"' not in pages[3]
    on = {c: n for n, ids in shown.items() for c in ids}
    full = viewer.get(f"/incidents/3/disagreements/{shown[3][0]}").text
    for n, html in [*pages.items(), (0, full)]:
        assert len(html.encode()) < 200 * 1024
        assert html.count("<li") >= 120 or n == 0  # the tolls: every figure, on every page
        links = re.findall(r'href="([^"#]*)#claim-(\d+)"', html)
        assert len({int(c) for _, c in links}) >= 4  # the lone speakers among the twelve each cell names
        for target, claim in links:
            if not target:
                assert on[int(claim)] == n, (n, claim)  # a link within the page: the row is on it
            else:
                page = re.fullmatch(r"/incidents/3(?:\?figures=(\d+))?", target)
                assert page and int(page.group(1) or 1) == on[int(claim)], (n, target, claim)
                assert n == 0 or on[int(claim)] != n
    speaker = {c: who for c, _, who, _ in MANY}
    others = [c for c in speaker if speaker[c] != speaker[shown[3][0]]]
    listed = full[full.index('class="disagreements"'):]
    assert sorted(int(c) for c in re.findall(r'href="[^"#]*#claim-(\d+)"', listed)) == others


def test_an_incident_of_hundreds_of_sources_stays_under_200_kb(viewer: httpx.Client) -> None:
    """1,500 figures of 300 speakers: each cell names twelve speakers and counts the rest, the tolls list 15 figures of
    30 speakers and count the rest; every figure is still in the table, 50 to a page."""
    first, last = viewer.get("/incidents/4"), viewer.get("/incidents/4?figures=30")
    arabic = viewer.get("/incidents/4?lang=ar")
    viewer.get("/incidents/4?lang=en")  # the language choice stays with the session: back to the module's English
    for page in (first, last, arabic):
        assert page.status_code == 200 and len(page.content) < 200 * 1024, len(page.content)
    assert len(_rows(first.text)) == 50 and len(_rows(last.text)) == 50
    assert _rows(viewer.get("/incidents/4?figures=31").text) == _rows(last.text)  # 30 pages, no more
    cell = _cell(first.text, _rows(first.text)[0])
    assert cell.count('<span dir="auto">Outlet') == 12 and "and 287 more sources" in cell  # 299 others
    assert 'href="/incidents/4/disagreements/' in cell  # the full list is a link away
    tolls = first.text[first.text.index('id="tolls"'):first.text.index('id="side"')]
    assert tolls.count("<h3") == 30 and "and 270 more sources" in tolls
    assert "Outlet 000" in tolls and "and 29 smaller figures" in tolls  # 44 figures: the 15 largest listed
    assert tolls.count("<li") == 15 + 1 + 29 * 5  # the other 29 outlets shown have five figures each: none cut


def test_the_full_list_of_a_figure_with_hundreds_of_others_is_paged(viewer: httpx.Client) -> None:
    base = "/incidents/4/disagreements/1000"  # Outlet 000's largest figure: 1,456 figures of other outlets differ
    pages = [viewer.get(f"{base}?page={n}") for n in (1, 2, 3)]
    listed = [re.findall(r'href="[^"#]*#claim-(\d+)"', r.text[r.text.index('class="disagreements"'):]) for r in pages]
    assert [len(ids) for ids in listed] == [500, 500, 456]
    assert len({c for ids in listed for c in ids}) == 1456  # every differing figure once, over the three pages
    assert all(len(r.content) < 200 * 1024 for r in pages)
    assert f'rel="next" href="{base}?page=2"' in pages[0].text and 'rel="prev"' not in pages[0].text
    assert f'rel="prev" href="{base}?page=2"' in pages[2].text and 'rel="next"' not in pages[2].text
    fragment = viewer.get(base, headers={"HX-Request": "true"}).text  # into the cell: the first 500, and a way on
    assert fragment.count("#claim-") == 500 and f'href="{base}?page=2"' in fragment


def test_a_changed_figure_reaches_the_cached_fragment(site: tuple[str, Path], viewer: httpx.Client) -> None:
    before = viewer.get("/incidents/1/disagreements/1", headers={"HX-Request": "true"}).text
    assert viewer.get("/incidents/1/disagreements/1", headers={"HX-Request": "true"}).text == before
    with open_store(site[1]) as store, store.transaction() as conn:  # another program corrects a figure
        conn.execute("UPDATE claims SET low = 950, best = 950, high = 950 WHERE id = 4")
    try:
        after = viewer.get("/incidents/1/disagreements/1", headers={"HX-Request": "true"}).text
        assert ": 950 (" in after and ": 900 (" not in after
        assert "3 figures, 200–950" in _cell(viewer.get("/incidents/1").text, 1)
    finally:
        with open_store(site[1]) as store, store.transaction() as conn:
            conn.execute("UPDATE claims SET low = 900, best = 900, high = 900 WHERE id = 4")


def test_the_full_list_opens_without_javascript_and_in_place_with_it(site: tuple[str, Path]) -> None:
    with sync_playwright() as p:
        browser: Browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            for scripts in (False, True):
                context = browser.new_context(base_url=site[0], java_script_enabled=scripts)
                page = context.new_page()
                page.goto("/incidents/1")
                page.fill("input[name=name]", "viewer")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url("**/incidents/1")
                page.click("#diffs-1 a.all")
                if scripts:  # HTMX swapped the full list into the cell; the page stayed
                    page.locator("#diffs-1 a[href='/incidents/1#claim-4']").wait_for()
                    assert page.url.endswith("/incidents/1")
                    assert page.locator("#diffs-1 a.all").count() == 0
                else:  # the link led to the page of the list
                    page.wait_for_url("**/incidents/1/disagreements/1")
                    assert page.locator("#diffs-1 a[href='/incidents/1#claim-4']").count() == 1
                assert page.evaluate("document.body.dataset.xss") is None
                context.close()
        finally:
            browser.close()


def _diffs(draw: st.DrawFn) -> list[Disagreement]:
    speakers = draw(st.lists(st.sampled_from(["A", "B", "C", "<b>D</b>"]), min_size=0, max_size=12))
    found = [Disagreement(i + 10, s, draw(st.integers(1, 5000)), draw(st.booleans())) for i, s in enumerate(speakers)]
    return sorted(found, key=lambda d: (d.figure, d.speaker))


@given(st.composite(_diffs)())
def test_the_summary_names_every_speaker_once_and_accounts_for_every_figure(diffs: list[Disagreement]) -> None:
    cell = str(disagreement_summary(3, 7, diffs, LABELS))
    speakers = {d.speaker for d in diffs}
    lines = [line for line in cell.split("<br>") if line and 'class="all"' not in line]
    assert len(lines) == len(speakers)
    counted = 0
    for line in lines:
        several = re.search(r"(\d+) figures, ([\d,]+)–([\d,]+)", line)
        counted += int(several.group(1)) if several else 1
    assert counted == len(diffs)
    assert ('href="/incidents/3/disagreements/7"' in cell) == (len(speakers) < len(diffs))
    assert "<b>" not in cell
    clashing = {d.speaker for d in diffs if not d.compatible}
    assert cell.count('class="clash"') == len(clashing)


@given(st.text())
def test_the_fragments_escape_as_autoescape_does(text: str) -> None:
    assert _escape(text) == str(escape(text))
