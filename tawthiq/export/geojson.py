"""GeoJSON (RFC 7946): a FeatureCollection with one Feature per event, written feature by feature.

Positions are ``[longitude, latitude]`` in WGS 84 with at most 6 decimals (RFC 7946 §3.1.1, §11.2); an event with no
coordinates keeps its place in the collection with a ``null`` geometry (§3.2), so nothing is silently dropped. No
``crs`` member is written (§4). Properties are the event's fields (see :data:`tawthiq.export.events.EVENT_FIELDS`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from tawthiq.export.events import EVENT_FIELDS, Event

_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def feature(event: Event) -> dict[str, Any]:
    geometry = None
    if event.latitude is not None and event.longitude is not None:
        geometry = {"type": "Point", "coordinates": [round(event.longitude, 6), round(event.latitude, 6)]}
    properties = {name: getattr(event, name) for name in EVENT_FIELDS}
    return {"type": "Feature", "id": event.ref, "geometry": geometry, "properties": properties}


def write(events: Iterable[Event], out: TextIO) -> int:
    """Write the FeatureCollection, one feature per line; return the number of features."""
    out.write('{"type":"FeatureCollection","features":[\n')
    count = 0
    for event in events:
        if count:
            out.write(",\n")
        text = json.dumps(feature(event), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        out.write(text.translate(_LINE_BREAKS))
        count += 1
    out.write("\n]}\n")
    return count
