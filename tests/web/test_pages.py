"""The pages over the corpus: incidents side by side, documents, victims, map, timeline, search, Arabic, page weight."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import httpx

from tests.web.conftest import csrf_of

MAX_FIRST_LOAD = 200 * 1024


def coastal_incident(query: Callable[..., list]) -> int:
    """The March 2025 coastal incident (Latakia and Tartus, starting in early March 2025)."""
    rows = query("SELECT id FROM incidents WHERE date_start LIKE '2025-03-%' AND admin1 LIKE '%Latakia%'"
                 " AND admin1 LIKE '%Tartus%'")
    assert len(rows) == 1
    return int(rows[0]["id"])


def test_the_coastal_incident_shows_both_sources_tolls_side_by_side(clients: dict[str, httpx.Client],
                                                                    query: Callable[..., list]) -> None:
    html = clients["viewer"].get(f"/incidents/{coastal_incident(query)}").text
    tolls = html[html.index('id="tolls"'):html.index("</div>", html.index('id="tolls"'))]
    sections = re.findall(r'<section class="toll">(.*?)</section>', tolls, flags=re.S)
    by_speaker = {re.search(r"<h3[^>]*>(.*?)</h3>", s).group(1): s for s in sections}  # type: ignore[union-attr]
    assert "1,426" in by_speaker["Syrian government national inquiry"]
    assert "1,300" in by_speaker["Syrian Observatory for Human Rights"]
    assert len(sections) >= 2
    count = int(re.search(r'id="independent-count">(\d+)<', html).group(1))  # type: ignore[union-attr]
    assert count >= 2
    assert 'class="conflict' in html  # differing figures of other speakers are marked


def test_documents_show_cleaned_text_copies_and_claims(clients: dict[str, httpx.Client],
                                                       query: Callable[..., list]) -> None:
    doc = query("SELECT id FROM documents WHERE text LIKE '%1,426%'")[0]["id"]
    html = clients["viewer"].get(f"/documents/{doc}").text
    assert "Cleaned text" in html and "/claims/" in html and "1,426" in html
    listing = clients["viewer"].get("/documents").text
    assert listing.count('href="/documents/') >= 7


def test_arabic_pages_are_right_to_left_with_syrian_month_names(clients: dict[str, httpx.Client],
                                                                query: Callable[..., list]) -> None:
    client = clients["viewer"]
    html = client.get(f"/incidents/{coastal_incident(query)}?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in html
    assert "آذار (مارس) 2025" in html and "اللاذقية" in html
    assert "الحصيلة حسب المصدر" in html
    # the choice is remembered in a cookie; English comes back through the switch
    assert 'dir="rtl"' in client.get("/incidents").text
    client.get("/lang/en?next=/incidents")
    assert '<html lang="en" dir="ltr">' in client.get("/incidents").text


def test_search_finds_each_kind_and_renders_snippets_inert(clients: dict[str, httpx.Client]) -> None:
    client = clients["viewer"]
    html = client.get("/search?q=Baniyas").text
    assert re.search(r'id="results-claim">\s*<h2>Claims \([1-9]', html)
    assert re.search(r'id="results-document">\s*<h2>Documents \([1-9]', html)
    assert "<mark>Baniyas</mark>" in html or "<mark>baniyas</mark>" in html.lower()
    assert "<svg onload" not in html
    arabic = client.get("/search?q=السويداء").text
    assert re.search(r'id="results-document">\s*<h2>Documents \([1-9]', arabic)
    victims = client.get("/search?q=Salma").text
    assert re.search(r'id="results-victim">\s*<h2>Victim records \(1\)', victims)
    for hostile in ('" OR 1', "NEAR(a b", "*", "a AND", "^x"):
        assert client.get("/search", params={"q": hostile}).status_code == 200


def test_incident_filters_apply_to_list_map_and_timeline(clients: dict[str, httpx.Client],
                                                         query: Callable[..., list]) -> None:
    client = clients["viewer"]
    coastal = coastal_incident(query)
    suwayda = client.get("/incidents?admin1=As-Suwayda").text
    assert f'href="/incidents/{coastal}"' not in suwayda and "As-Suwayda" in suwayda
    dated = client.get("/incidents?from=2025-03-01&to=2025-03-31").text
    assert f'href="/incidents/{coastal}"' in dated
    points = json.loads(client.get("/map/incidents.geojson?from=2025-03-01&to=2025-03-31").text)
    assert {f["properties"]["id"] for f in points["features"]} >= {coastal}
    assert {f["properties"]["admin1"] for f in points["features"] if f["properties"]["id"] == coastal} >= {
        "Latakia", "Tartus"}
    outlines = json.loads(client.get("/map/governorates.geojson").text)
    assert len(outlines["features"]) == 14
    timeline = client.get("/timeline?admin1=Latakia").text
    assert "<svg" in timeline and f'id="incident-{coastal}"' in timeline
    assert f'id="incident-{coastal}"' not in client.get("/timeline?to=2000-01-01").text
    map_page = client.get("/map").text
    assert 'id="map"' in map_page and "/static/vendor/leaflet/leaflet.js" in map_page
    assert "tile" not in map_page.lower()  # no tile server: outlines only


def test_victims_list_filters_and_person_page_with_scores(clients: dict[str, httpx.Client],
                                                          query: Callable[..., list]) -> None:
    viewer = clients["viewer"]
    assert "Salma Yusuf" not in viewer.get("/victims?governorate=Tartus").text
    assert "Salma Yusuf" in viewer.get("/victims?sex=female").text
    assert "Mohammed Ahmad" in viewer.get("/victims?name=محمد").text
    analyst = clients["analyst"]
    person = analyst.get("/persons/1").text
    assert "0.973" in person and "list-a" in person and "list-b" in person and "name=3.1" in person
    token = csrf_of(analyst, "/persons/1")
    confirmed = analyst.post("/persons/1/decide", data={"csrf_token": token, "action": "confirm", "note": "same"})
    assert confirmed.status_code == 303
    decision = query("SELECT kind, analyst, note FROM link_decisions ORDER BY id DESC LIMIT 1")[0]
    assert decision == {"kind": "confirm", "analyst": "analyst", "note": "same"}
    bad_split = analyst.post("/persons/1/decide", data={"csrf_token": token, "action": "split"})
    assert bad_split.status_code == 422  # one group only: nothing to split
    split = analyst.post("/persons/1/decide", data={"csrf_token": token, "action": "split", "group_2": "2"})
    assert split.status_code == 303
    assert query("SELECT kind FROM link_decisions ORDER BY id DESC LIMIT 1")[0]["kind"] == "split"


def _first_load(client: httpx.Client, path: str) -> tuple[int, int]:
    """Bytes of a page's HTML and of everything it loads (as transferred), for a first visit with an empty cache."""
    page = client.get(path)
    assert page.status_code == 200, path
    total = len(page.content)
    for asset in set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)):
        response = client.get(asset, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, asset
        total += int(response.headers.get("content-length", len(response.content)))
    return len(page.content), total


def test_no_page_weighs_over_200_kb_on_first_load(clients: dict[str, httpx.Client],
                                                  query: Callable[..., list]) -> None:
    client = clients["admin"]
    doc = query("SELECT id FROM documents ORDER BY length(text) DESC LIMIT 1")[0]["id"]
    coastal = coastal_incident(query)
    figure = query("SELECT c.id FROM claims c JOIN incident_claims ic ON ic.claim_id = c.id WHERE ic.incident_id = ?"
                   " AND c.kind = 'casualty_count' AND c.best IS NOT NULL ORDER BY c.id LIMIT 1", (coastal,))[0]["id"]
    paths = ["/incidents", f"/incidents/{coastal}", "/review", "/documents", f"/documents/{doc}",
             "/victims", "/persons/1", "/map", "/timeline", "/search?q=killed", "/claims/1", "/incidents?lang=ar",
             f"/incidents/{coastal}/disagreements/{figure}"]
    for path in paths:
        html, total = _first_load(client, path)
        assert html < MAX_FIRST_LOAD and total < MAX_FIRST_LOAD, (path, html, total)
