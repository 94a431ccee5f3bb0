"""The corpus incidents exported as GeoJSON (RFC 7946), served by the API as the very bytes of `tawthiq export
incidents --format geojson`, and drawn by chromium on the web application's own Leaflet map page.

Which variant this is, honestly: the map page's own data endpoint (``/map/incidents.geojson``) is not the export (it
puts one marker per incident and governorate at the governorate's label point, with page-specific properties), so
the test does not pretend it is. It opens the real ``/map`` page (the app's CSP, its bundled Leaflet, its map and
governorate outlines), lets the page fetch the export from ``/api/exports/incidents.geojson`` with a bearer token,
adds it to the page's map with the page's Leaflet (``L.geoJSON``), and checks that chromium drew one marker per
located feature where the map projects its coordinates. The page's map is reached through a Leaflet init hook set
up before the page's scripts run (Playwright init script); the app itself has no "load an export" control.

One chromium session (FAILS, does not skip, without Debian's chromium). Screenshot: tests/api/artifacts/.
"""

from __future__ import annotations

import json
from pathlib import Path

import geojson
from click.testing import CliRunner
from playwright.sync_api import sync_playwright

from tawthiq.cli import main
from tawthiq.extract.places import Gazetteer
from tests.api.conftest import ApiServer
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM_ARGS, chromium_path

CAPTURE_MAPS = """
(() => {
  let leaflet;
  window.__maps = [];
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map && value.Map.addInitHook) {
        value.Map.addInitHook(function () { window.__maps.push(this); });
      }
    },
  });
})();
"""

DRAW_EXPORT = """
async (token) => {
  const response = await fetch("/api/exports/incidents.geojson", {headers: {Authorization: "Bearer " + token}});
  const data = await response.json();
  const map = window.__maps[0];
  const drawn = [];
  const layer = L.geoJSON(data, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {radius: 7, color: "#1b6b2f", weight: 2,
                                                               className: "export-feature"}),
    onEachFeature: (feature, marker) => {
      drawn.push({id: feature.id, lat: marker.getLatLng().lat, lng: marker.getLatLng().lng});
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds().pad(0.15), {animate: false});
  return {status: response.status, type: response.headers.get("content-type"), drawn: drawn};
}
"""


def _export_file(server: ApiServer, tmp_path: Path) -> Path:
    out = tmp_path / "incidents.geojson"
    result = CliRunner().invoke(main, ["--db", str(server.db), "export", "incidents", "--format", "geojson",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_api_serves_the_export_and_it_is_rfc7946_in_the_right_places(api_server: ApiServer,
                                                                           tmp_path: Path) -> None:
    exported = _export_file(api_server, tmp_path).read_bytes()
    with api_server.client("viewer") as client:
        served = client.get("/exports/incidents.geojson")
    assert served.status_code == 200 and served.headers["content-type"] == "application/geo+json"
    assert served.content == exported
    parsed = geojson.loads(exported.decode("utf-8"))
    assert parsed.is_valid, parsed.errors()
    raw = json.loads(exported)
    assert raw["type"] == "FeatureCollection" and "crs" not in raw
    gazetteer = Gazetteer.load()
    located = [f for f in raw["features"] if f["geometry"] is not None]
    assert len(located) >= 5
    for feature in located:
        lon, lat = feature["geometry"]["coordinates"]  # RFC 7946: longitude first
        props = feature["properties"]
        named = {props["admin1"], *(p.strip() for p in (props["location"] or "").split(","))}
        assert gazetteer.admin1_at(lat, lon) in named, (feature["id"], lat, lon, named)


def test_chromium_draws_the_exported_incidents_on_the_web_map(api_server: ApiServer, tmp_path: Path) -> None:
    raw = json.loads(_export_file(api_server, tmp_path).read_text(encoding="utf-8"))
    located = {f["id"]: f["geometry"]["coordinates"] for f in raw["features"] if f["geometry"] is not None}
    token = api_server.token("viewer", name="browser map test")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=api_server.url, viewport={"width": 1100, "height": 800})
        context.add_init_script(CAPTURE_MAPS)
        page = context.new_page()
        csp_errors: list[str] = []
        page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto("/login?next=/map")
        page.fill("input[name=name]", "viewer")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/map")
        page.locator("#map path.leaflet-interactive").first.wait_for()
        outlines = page.locator("#map path.leaflet-interactive").count()
        page.wait_for_timeout(500)  # the page's own fitBounds animation ends
        result = page.evaluate(DRAW_EXPORT, token)
        page.wait_for_timeout(300)  # let the renderer settle before measuring and the screenshot
        projected = page.evaluate("""(points) => points.map((d) => {
            const p = window.__maps[0].latLngToContainerPoint([d.lat, d.lng]); return [p.x, p.y]; })""",
                                  result["drawn"])
        drawn = page.evaluate("""() => Array.from(document.querySelectorAll("#map path.export-feature"))
            .map((el) => { const r = el.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2,
                                                                        w: r.width}; })""")
        box = page.locator("#map").bounding_box()
        page.locator("#map").screenshot(path=str(api_server.artifacts / "geojson-export-on-map.png"))
        browser.close()
    assert result["status"] == 200 and result["type"] == "application/geo+json"
    assert outlines >= 14, "the page drew its governorate outlines first"
    assert {d["id"] for d in result["drawn"]} == set(located)
    for d in result["drawn"]:  # Leaflet read [longitude, latitude] as it should
        lon, lat = located[d["id"]]
        assert (round(d["lng"], 6), round(d["lat"], 6)) == (lon, lat)
    assert len(drawn) == len(located) and all(m["w"] > 0 for m in drawn)
    assert box is not None
    expected = sorted((box["x"] + x, box["y"] + y) for x, y in projected)
    for (ex, ey), got in zip(expected, sorted((m["x"], m["y"]) for m in drawn), strict=True):
        assert abs(ex - got[0]) < 3 and abs(ey - got[1]) < 3, "a marker is not where the map projects it"
        assert box["x"] <= got[0] <= box["x"] + box["width"] and box["y"] <= got[1] <= box["y"] + box["height"]
    assert not csp_errors, csp_errors
