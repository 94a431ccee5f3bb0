"""Import a UCDP GED CSV file (the columns of the GED codebook) as a source beside Tawthiq's own.

Each row is one GED event: a claim of ``best`` people killed with GED's ``low`` and ``high``, spoken by UCDP, with its
``date_prec`` and ``where_prec`` (Tawthiq uses GED's codes, so nothing is approximated), ``side_a`` as the
perpetrator and ``side_b`` as the target. ``deaths_civilians`` becomes a second claim breaking the total down (or the
only claim, with population civilians, when every death counted was a civilian's). ``type_of_violence`` 3 is read as
ACLED's "Violence against civilians", 1 and 2 as "Battles".
"""

from __future__ import annotations

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

DATASET = "ged"
SOURCE = Source("UCDP GED", SourceType.NGO, "international")
SPEAKER = "UCDP GED"
REQUIRED = ("date_start", "date_end", "date_prec", "where_prec", "adm_1", "latitude", "longitude", "best", "low",
            "high")
EVENT_TYPES = {1: "Battles", 2: "Battles", 3: "Violence against civilians"}


def import_ged(store: Store, path: str | Path) -> ImportResult:
    """Import the GED CSV file at ``path`` into ``store``; re-importing the same file changes nothing."""
    gazetteer = Gazetteer.load()
    return import_file(store, Path(path), DATASET, SOURCE, REQUIRED, lambda row, n: row_claims(row, n, gazetteer))


def _precisions(row: dict[str, str]) -> tuple[DatePrecision, WherePrecision]:
    try:
        return DatePrecision(parse_int(row, "date_prec") or 0), WherePrecision(parse_int(row, "where_prec") or 0)
    except (ValueError, TypeError) as e:
        raise RowError(f"date_prec/where_prec: {e}") from None


def _figures(row: dict[str, str]) -> tuple[int, int, int, int]:
    best = parse_int(row, "best", default=0) or 0
    low = parse_int(row, "low", default=best) or 0
    high = parse_int(row, "high", default=best) or 0
    if not low <= best <= high:
        raise RowError(f"low {low}, best {best}, high {high} are not in order")
    return low, best, high, parse_int(row, "deaths_civilians", default=0) or 0


def row_claims(row: dict[str, str], number: int, gazetteer: Gazetteer) -> RowClaims:
    """The claims a GED row makes; raises :class:`RowError` for a row that cannot be read."""
    start, end = parse_date(row, "date_start"), parse_date(row, "date_end")
    if start is None:
        raise RowError("date_start is empty")
    end = end or start
    if end < start:
        raise RowError(f"date_end {end} is before date_start {start}")
    date_prec, where_prec = _precisions(row)
    low, best, high, civilians = _figures(row)
    admin1 = governorate(row["adm_1"], gazetteer)
    name = row.get("where_coordinates") or admin1
    place = Place(name, admin1, parse_float(row, "latitude", -90, 90), parse_float(row, "longitude", -180, 180),
                  where_prec) if name else None
    actors = [Actor(row[c], role) for c, role in (("side_a", "perpetrator"), ("side_b", "target")) if row.get(c)]
    violence = parse_int(row, "type_of_violence")
    only_civilians = civilians == best and best > 0

    def claim(population: Population, lo: int, b: int, hi: int) -> Claim:
        return Claim(
            kind=ClaimKind.CASUALTY_COUNT if b else ClaimKind.EVENT, sentence="", span=Span(0, 0),
            outcome=Outcome.KILLED if b else None, population=population if b else None,
            quantity=Quantity(lo, b, hi, "range" if lo != hi else "exact", "", str(b), Span(0, 0)) if b else None,
            date=DateRange(start, end, date_prec, text=row["date_start"]), place=place, actors=actors,
            attributed_to=SPEAKER, event_type=EVENT_TYPES.get(violence or 0),
        )

    claims = [claim(Population.CIVILIANS if only_civilians else Population.TOTAL, low, best, high)]
    parts = ["total"]
    if civilians and not only_civilians:
        claims.append(claim(Population.CIVILIANS, civilians, civilians, civilians))
        parts.append("civilians")
    where = ", ".join(p for p in (row.get("where_coordinates"), row["adm_1"]) if p)
    sentence = (f"UCDP GED event {row.get('id', '')}: {best} killed (low {low}, high {high}), {civilians} of them "
                f"civilians, at {where or 'an unknown place'}, {row['date_start']} to {row['date_end']}.")
    return RowClaims(sentence=sentence, claims=claims, parts=parts, external_id=row.get("id", ""))
