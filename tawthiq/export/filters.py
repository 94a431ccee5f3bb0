"""Which claims and incidents an export holds: date range, governorate, event type, grade, reviewed only.

A filter becomes SQL (a ``WHERE`` clause with its parameters) over the claims (alias ``c``) or the incidents (alias
``i``), so that rows are selected by the database and streamed, never gathered in memory.

The grade and review filters read what reviewers decided in the web application: an incident's current verification
grade (view ``incident_current_grades``, by incident key) and the claims a reviewer confirmed or corrected (table
``review_decisions``; a rejected claim is not "reviewed" for export). A store without them cannot be filtered that way:
the export refuses rather than silently exporting everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tawthiq.errors import ExportError
from tawthiq.store.connection import Connection, json_item_pattern

GRADES_VIEW = "incident_current_grades"
REVIEWS_TABLE = "review_decisions"


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """What to keep; ``None`` (or ``False``) means no restriction.

    ``date_from``/``date_to`` keep what overlaps the range (an undated claim is left out once a date is asked for);
    ``admin1`` is a governorate's canonical name (``Latakia``); ``event_type`` an ACLED event type.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    admin1: str | None = None
    event_type: str | None = None
    grade: str | None = None
    reviewed_only: bool = False

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ExportError(f"date range {self.date_from} .. {self.date_to}: the start is after the end",
                              hint="swap --from and --to")

    def claim_where(self, conn: Connection) -> tuple[str, list[object]]:
        """``(" AND ...", params)`` restricting claims ``c``; ``""`` when nothing is filtered."""
        clauses: list[str] = []
        params: list[object] = []
        if self.date_from:
            clauses.append("coalesce(c.date_end, c.date_start) >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            clauses.append("c.date_start <= ?")
            params.append(self.date_to.isoformat())
        if self.admin1:
            clauses.append("c.admin1 = ?")
            params.append(self.admin1)
        if self.event_type:
            clauses.append("(c.event_type = ? OR (c.event_type IS NULL AND c.id IN (SELECT ic.claim_id FROM"
                           " incident_claims ic JOIN incidents i ON i.id = ic.incident_id WHERE i.event_type = ?)))")
            params += [self.event_type, self.event_type]
        clauses += self._review_clauses(conn, "c.id", params)
        return "".join(f" AND {c}" for c in clauses), params

    def incident_where(self, conn: Connection) -> tuple[str, list[object]]:
        """``(" AND ...", params)`` restricting incidents ``i``."""
        clauses: list[str] = []
        params: list[object] = []
        if self.date_from:
            clauses.append("coalesce(i.date_end, i.date_start) >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            clauses.append("i.date_start <= ?")
            params.append(self.date_to.isoformat())
        if self.admin1:
            clauses.append("i.admin1 LIKE ? ESCAPE '!'")
            params.append(json_item_pattern(self.admin1))
        if self.event_type:
            clauses.append("i.event_type = ?")
            params.append(self.event_type)
        for clause in self._review_clauses(conn, "ic2.claim_id", params):
            clauses.append(f"EXISTS (SELECT 1 FROM incident_claims ic2 WHERE ic2.incident_id = i.id AND {clause})")
        return "".join(f" AND {c}" for c in clauses), params

    def _review_clauses(self, conn: Connection, claim_id: str, params: list[object]) -> list[str]:
        clauses = []
        if self.grade is not None:
            _require_table(conn, GRADES_VIEW, "--grade")
            clauses.append(
                f"{claim_id} IN (SELECT gic.claim_id FROM incident_claims gic"
                f" JOIN incidents gi ON gi.id = gic.incident_id"
                f" JOIN {GRADES_VIEW} g ON g.incident_key = gi.key WHERE g.grade = ?)"
            )
            params.append(self.grade)
        if self.reviewed_only:
            _require_table(conn, REVIEWS_TABLE, "--reviewed-only")
            clauses.append(
                f"{claim_id} IN (SELECT r.claim_id FROM {REVIEWS_TABLE} r WHERE r.action IN ('confirm', 'correct')"
                f" AND r.id = (SELECT max(r2.id) FROM {REVIEWS_TABLE} r2 WHERE r2.claim_id = r.claim_id))"
            )
        return clauses


def _require_table(conn: Connection, table: str, option: str) -> None:
    if not conn.has_table(table):
        raise ExportError(f"{option}: this store has no {table} table (no claim has been reviewed in it)",
                          hint="review claims in the web application first, or leave the option out")
