"""The map and the timeline of incidents, with the incident list's filters.

The map page works without JavaScript: it lists the governorates with their incident counts and the incidents; with
JavaScript, the bundled Leaflet draws the governorate outlines (shipped GeoJSON, no tile server) and a marker per
incident and governorate. The timeline is the report's inline SVG (no script at all).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tawthiq.report.timeline import mark, timeline_svg
from tawthiq.web import read
from tawthiq.web.context import render, require, store
from tawthiq.web.filters import (
    IncidentFilter,
    dumps,
    event_types,
    governorate_counts,
    governorate_geojson,
    governorates,
    incidents_geojson,
    list_incidents,
)

router = APIRouter()
MAP_LIMIT = 2000  # incidents drawn at most; the page says when more matched


def _json(body: str) -> Response:
    return Response(body, media_type="application/geo+json")


@router.get("/map")
def map_page(request: Request) -> Response:
    require(request)
    conn = store(request).conn
    flt = IncidentFilter.from_query(request.query_params)
    rows, total = list_incidents(conn, flt, 0, 200)
    return render(request, "map.html", rows=rows, total=total, counts=governorate_counts(rows), flt=flt,
                  governorates=governorates(), event_types=event_types(conn), grades=read.GRADES, base="/map",
                  data_url=f"/map/incidents.geojson?{flt.query_string()}")


@router.get("/map/governorates.geojson")
def governorates_geojson(request: Request) -> Response:
    require(request)
    return _json(dumps(governorate_geojson()))


@router.get("/map/incidents.geojson")
def incident_points(request: Request) -> Response:
    require(request)
    flt = IncidentFilter.from_query(request.query_params)
    rows, _ = list_incidents(store(request).conn, flt, 0, MAP_LIMIT)
    return _json(dumps(incidents_geojson(rows)))


@router.get("/timeline")
def timeline(request: Request) -> Response:
    require(request)
    conn = store(request).conn
    flt = IncidentFilter.from_query(request.query_params)
    rows, total = list_incidents(conn, flt, 0, 500)
    marks = [m for r in rows if (m := mark(f"incident-{r.id}", r.title, r.date_start, r.date_end, r.date_prec))]
    return render(request, "timeline.html", rows=sorted(rows, key=lambda r: (r.date_start or "", r.id)),
                  total=total, svg=timeline_svg(marks), flt=flt, governorates=governorates(),
                  event_types=event_types(conn), grades=read.GRADES, base="/timeline")
