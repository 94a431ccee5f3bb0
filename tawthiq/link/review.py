"""Analysts' decisions on persons: confirm a cluster, or split it into groups. Kept across re-runs.

A decision names records by their identity in the lists, ``(list_name, record_key)``, not by database row ids, so it
holds after re-imports and new lists. On every link run the decisions become constraints (:class:`Constraints`):
confirmed records must stay together; records in different groups of a split must stay apart. Later decisions win
over earlier ones where they conflict, because they are applied in order and a must-link never overrides a
cannot-link already in force.
"""

from __future__ import annotations

import json

from tawthiq.errors import LinkageError
from tawthiq.link.cluster import Constraints
from tawthiq.store import Store
from tawthiq.store.connection import Connection

RecordRef = tuple[str, str]  # (list_name, record_key)


def record_refs(conn: Connection, record_ids: list[int]) -> list[RecordRef]:
    """(list, key) of stored records; every unknown id is reported."""
    refs: list[RecordRef] = []
    missing = []
    for rid in record_ids:
        row = conn.execute("SELECT list_name, record_key FROM victim_records WHERE id = ?", (rid,)).fetchone()
        if row is None:
            missing.append(rid)
        else:
            refs.append((row[0], row[1]))
    if missing:
        raise LinkageError(f"no victim records with ids {missing}", hint="see `tawthiq victims export` for ids")
    return refs


def person_record_ids(conn: Connection, person_id: int) -> list[int]:
    rows = conn.execute("SELECT record_id FROM person_records WHERE person_id = ? ORDER BY record_id", (person_id,))
    ids = [r[0] for r in rows]
    if not ids:
        raise LinkageError(f"no person {person_id} in the latest link run", hint="run `tawthiq victims link` first")
    return ids


def confirm(store: Store, person_id: int, analyst: str = "", note: str = "") -> int:
    """Record that all records of ``person_id`` are one person; returns the decision id."""
    with store.transaction() as conn:
        refs = record_refs(conn, person_record_ids(conn, person_id))
        conn.execute("UPDATE persons SET confirmed = 1 WHERE id = ?", (person_id,))
        return _save(conn, "confirm", [refs], analyst, note)


def split(store: Store, person_id: int, groups: list[list[int]], analyst: str = "", note: str = "") -> int:
    """Record that ``person_id`` is several persons: ``groups`` of its record ids (the rest form one more group)."""
    with store.transaction() as conn:
        ids = person_record_ids(conn, person_id)
        named = [rid for group in groups for rid in group]
        strangers = sorted(set(named) - set(ids))
        if strangers:
            raise LinkageError(f"records {strangers} are not in person {person_id}", hint=f"its records: {ids}")
        if len(named) != len(set(named)):
            raise LinkageError(f"split of person {person_id}: a record is named in two groups")
        rest = [rid for rid in ids if rid not in set(named)]
        all_groups = [g for g in [*groups, rest] if g]
        if len(all_groups) < 2:
            raise LinkageError(f"split of person {person_id} needs at least two groups of records")
        return _save(conn, "split", [record_refs(conn, g) for g in all_groups], analyst, note)


def _save(conn: Connection, kind: str, groups: list[list[RecordRef]], analyst: str, note: str) -> int:
    cursor = conn.execute(
        "INSERT INTO link_decisions (kind, groups, analyst, note) VALUES (?, ?, ?, ?) RETURNING id",
        (kind, json.dumps(groups, ensure_ascii=False), analyst, note),
    )
    return int(cursor.fetchone()[0])


def constraints(store: Store) -> Constraints:
    """All decisions as constraints on current record ids (records no longer stored are skipped)."""
    ids = {(r[0], r[1]): r[2] for r in store.query("SELECT list_name, record_key, id FROM victim_records")}
    confirmed: list[list[int]] = []
    splits: list[list[list[int]]] = []
    for row in store.query("SELECT kind, groups FROM link_decisions ORDER BY id"):
        groups = [[ids[(a, b)] for a, b in group if (a, b) in ids] for group in json.loads(row["groups"])]
        groups = [g for g in groups if g]
        if row["kind"] == "confirm":
            confirmed.extend(groups)
        elif len(groups) > 1:
            splits.append(groups)
    return Constraints.from_groups(confirmed, splits)
