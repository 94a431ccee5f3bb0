"""Import an ACLED CSV file (the columns of ACLED's codebook) as a source beside Tawthiq's own.

Each row is one ACLED event: a claim of ``fatalities`` people killed (an ``event`` claim when there are none),
spoken by ACLED (``attributed_to``), with its date and ``time_precision``, place and ``geo_precision``, actors
(``actor1`` the perpetrator, ``actor2`` the target) and ACLED's ``notes`` as its evidence line. Governorate names are
read through the gazetteer ("Lattakia" is Latakia). See :mod:`tawthiq.ingest.dataset` for provenance and idempotence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from tawthiq.extract.places import Gazetteer
from tawthiq.ingest.dataset import (
    ImportResult,
    RowClaims,
    RowError,
    governorate,
    import_file,
    parse_date,
    parse_float,
    parse_int,
)
from tawthiq.model import (
    Actor,
    Claim,
    ClaimKind,
    DatePrecision,
    DateRange,
    Outcome,
    Place,
    Population,
    Quantity,
    Source,
    SourceType,
    Span,
    WherePrecision,
)
from tawthiq.store import Store

DATASET = "acled"
SOURCE = Source("ACLED", SourceType.NGO, "international")
SPEAKER = "ACLED"
REQUIRED = ("event_date", "event_type", "admin1", "location", "latitude", "longitude", "fatalities")
TIME_PRECISION = {1: DatePrecision.DAY, 2: DatePrecision.DAYS, 3: DatePrecision.MONTH}
GEO_PRECISION = {1: WherePrecision.EXACT, 2: WherePrecision.NEAR, 3: WherePrecision.ADMIN1}


def import_acled(store: Store, path: str | Path) -> ImportResult:
    """Import the ACLED CSV file at ``path`` into ``store``; re-importing the same file changes nothing."""
    gazetteer = Gazetteer.load()
    return import_file(store, Path(path), DATASET, SOURCE, REQUIRED, lambda row, n: row_claims(row, n, gazetteer))


def _code(row: dict[str, str], column: str, codes: Mapping[int, object], default: int) -> int:
    value = parse_int(row, column, default=default)
    if value not in codes:
        raise RowError(f"{column} {row.get(column)!r} is not one of {sorted(codes)}")
    assert value is not None
    return value


def row_claims(row: dict[str, str], number: int, gazetteer: Gazetteer) -> RowClaims:
    """The claim an ACLED row makes; raises :class:`RowError` for a row that cannot be read."""
    date = parse_date(row, "event_date")
    if date is None:
        raise RowError("event_date is empty")
    prec = TIME_PRECISION[_code(row, "time_precision", TIME_PRECISION, 1)]
    where = GEO_PRECISION[_code(row, "geo_precision", GEO_PRECISION, 1)]
    killed = parse_int(row, "fatalities", default=0) or 0
    lat = parse_float(row, "latitude", -90, 90)
    lon = parse_float(row, "longitude", -180, 180)
    admin1 = governorate(row["admin1"], gazetteer)
    place = Place(row["location"] or admin1 or "", admin1, lat, lon, where) if row["location"] or admin1 else None
    actors = [Actor(row[c], role) for c, role in (("actor1", "perpetrator"), ("actor2", "target")) if row.get(c)]
    claim = Claim(
        kind=ClaimKind.CASUALTY_COUNT if killed else ClaimKind.EVENT, sentence="", span=Span(0, 0),
        outcome=Outcome.KILLED if killed else None, population=Population.TOTAL if killed else None,
        quantity=Quantity(killed, killed, killed, "exact", "", row["fatalities"], Span(0, 0)) if killed else None,
        date=DateRange(date, date, prec, text=row["event_date"]), place=place, actors=actors,
        attributed_to=SPEAKER, event_type=row["event_type"] or None,
    )
    return RowClaims(sentence=re.sub(r"\s+", " ", row.get("notes", "")).strip(), claims=[claim], parts=["total"],
                     external_id=row.get("event_id_cnty", ""))
