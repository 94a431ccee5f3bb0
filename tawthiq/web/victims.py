"""Read model of the victims pages: the list of records with filters, and a person with their linked records.

What a page can show is decided here, by construction: the list reads only the columns in :data:`LIST_COLUMNS`
(names, sex, age, date and place of death, status, list), so no role can see more there. A person's page shows the
source rows, but unmapped columns (``extra``) whose names suggest contact details or informants are withheld for
everyone: those belong to the protected evidence store (tawthiq.evidence), not to a page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tawthiq.store.connection import Connection

LIST_COLUMNS = ("id", "list_name", "name_ar", "name_latin", "sex", "age", "date_of_death", "place_of_death",
                "governorate", "status")
RECORD_COLUMNS = (*LIST_COLUMNS, "record_key", "source_record_id", "source_file", "row_number", "given_name",
                  "father_name", "mother_name", "family_name", "age_group", "place_of_origin", "district", "cause",
                  "perpetrator")
PROTECTED_KEY = re.compile(
    r"phone|mobile|tel|e-?mail|contact|address|whatsapp|signal|telegram|informant|witness|relative|next.of.kin|"
    r"هاتف|جوال|موبايل|بريد|عنوان|تواصل|شاهد|مخبر",
    re.IGNORECASE,
)
WITHHELD = "withheld"


@dataclass(frozen=True, slots=True)
class VictimFilter:
    list_name: str | None = None
    governorate: str | None = None
    sex: str | None = None
    status: str | None = None
    name: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> VictimFilter:
        def text(key: str, limit: int = 120) -> str | None:
            return (query.get(key) or "").strip()[:limit] or None

        return cls(list_name=text("list"), governorate=text("governorate"), sex=text("sex", 20),
                   status=text("status", 40), name=text("name"), date_from=text("from", 10), date_to=text("to", 10))

    def sql(self) -> tuple[str, dict[str, Any]]:
        parts, params = ["1 = 1"], {}
        for column, value in (("list_name", self.list_name), ("governorate", self.governorate), ("sex", self.sex),
                              ("status", self.status)):
            if value:
                parts.append(f"v.{column} = :{column}")
                params[column] = value
        if self.name:
            parts.append("(v.name_ar LIKE :name OR v.name_latin LIKE :name)")
            params["name"] = "%" + self.name.replace("%", "").replace("_", "") + "%"
        if self.date_from:
            parts.append("v.date_of_death >= :date_from")
            params["date_from"] = self.date_from
        if self.date_to:
            parts.append("v.date_of_death <= :date_to")
            params["date_to"] = self.date_to
        return " AND ".join(parts), params


def has_victims(conn: Connection) -> bool:
    return conn.has_table("victim_records")


def list_victims(conn: Connection, flt: VictimFilter, offset: int, limit: int) -> tuple[list[dict[str, Any]],
                                                                                              int]:
    where, params = flt.sql()
    total = int(conn.execute(f"SELECT count(*) FROM victim_records v WHERE {where}", params).fetchone()[0])
    rows = conn.execute(
        f"SELECT {', '.join('v.' + c for c in LIST_COLUMNS)},"
        " (SELECT person_id FROM person_records pr WHERE pr.record_id = v.id) AS person_id"
        f" FROM victim_records v WHERE {where} ORDER BY v.date_of_death IS NULL, v.date_of_death, v.id"
        " LIMIT :limit OFFSET :offset",
        {**params, "limit": limit, "offset": offset},
    ).fetchall()
    return [dict(r) for r in rows], total


def choices(conn: Connection) -> dict[str, list[str]]:
    """The values each filter can take, from the records."""
    out = {}
    for column in ("list_name", "governorate", "sex", "status"):
        out[column] = [r[0] for r in conn.execute(
            f"SELECT DISTINCT {column} FROM victim_records WHERE {column} IS NOT NULL AND {column} != '' ORDER BY 1"
        )]
    return out


@dataclass(slots=True)
class PersonPage:
    id: int
    confirmed: bool
    records: list[dict[str, Any]]  # each with via_record_id, match_probability, match_weight, weights, extra
    decisions: list[dict[str, Any]]


def person_page(conn: Connection, person_id: int) -> PersonPage | None:
    person = conn.execute("SELECT id, confirmed FROM persons WHERE id = ?", (person_id,)).fetchone()
    if person is None:
        return None
    rows = conn.execute(
        f"SELECT {', '.join('v.' + c for c in RECORD_COLUMNS)}, v.extra, pr.via_record_id, pr.match_probability,"
        " pr.match_weight, pr.weights FROM person_records pr JOIN victim_records v ON v.id = pr.record_id"
        " WHERE pr.person_id = ? ORDER BY v.id",
        (person_id,),
    ).fetchall()
    records = []
    for r in rows:
        record = dict(r)
        record["extra"] = safe_extra(record.get("extra"))
        record["weights"] = _json_object(record.get("weights"))
        records.append(record)
    keys = {(r["list_name"], r["record_key"]) for r in records}
    decisions = []
    for d in conn.execute("SELECT kind, groups, analyst, note, decided_at FROM link_decisions ORDER BY id"):
        groups = json.loads(d["groups"] or "[]")
        if any((a, b) in keys for group in groups for a, b in group):
            decisions.append(dict(d))
    return PersonPage(int(person["id"]), bool(person["confirmed"]), records, decisions)


def safe_extra(raw: str | None) -> dict[str, str]:
    """The unmapped columns of a record, with contact and informant columns withheld."""
    values = _json_object(raw)
    return {str(k): (WITHHELD if PROTECTED_KEY.search(str(k)) else str(v)) for k, v in values.items()}


def _json_object(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
