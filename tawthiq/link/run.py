"""One link run over the store: records → features → model → scored pairs → persons (with their justifications)."""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from tawthiq.errors import LinkageError
from tawthiq.ingest.lists import FIELDS
from tawthiq.link import (
    ATTACH_THRESHOLD,
    CORROBORATION,
    DEFAULT_THRESHOLD,
    LIST_DUPLICATE,
    PAIR_FLOOR,
    splink_model,
)
from tawthiq.link.cluster import Constraints, cluster
from tawthiq.link.features import PlaceIndex, build_features
from tawthiq.link.review import constraints as stored_constraints
from tawthiq.store import Store
from tawthiq.store.connection import Connection

MIN_TRAIN_RECORDS = 2000  # fewer records than this cannot teach the model; it then learns from generated lists


@dataclass(frozen=True, slots=True)
class LinkResult:
    run_id: int
    n_records: int
    n_persons: int
    n_pairs: int


def load_records(store: Store) -> pd.DataFrame:
    """Every stored victim record with its canonical fields; ``unique_id`` is the record id."""
    rows = store.query(f"SELECT id, list_name, {', '.join(FIELDS)} FROM victim_records ORDER BY id")
    frame = pd.DataFrame([dict(r) for r in rows], columns=["id", "list_name", *FIELDS])
    return frame.rename(columns={"id": "unique_id"})


def link_records(
    records: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    attach_threshold: float | None = ATTACH_THRESHOLD,
    places: PlaceIndex | None = None,
    constraints: Constraints | None = None,
    backend: splink_model.Backend = "duckdb",
    spark_session: Any = None,
    seed: int = 0,
    profile: splink_model.Profile = splink_model.VICTIMS,
    one_to_one: bool = False,
    timings: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Link records in memory: (assignments, scored pairs, model). Used by the store run and the benchmarks.

    Pairs at ``threshold`` or above are clustered first; ``attach_threshold`` (None: off) is the floor of the second,
    mutual-best pass (:func:`cluster.cluster`). ``profile`` says what the records are compared on (victim lists by
    default; :data:`tawthiq.link.register.REGISTER` for Febrl-style registers); ``one_to_one`` when every list is
    known to hold each person at most once. ``timings``, when given, receives the seconds of each stage.
    """
    if len(records) < 2:
        raise LinkageError(f"linkage needs at least 2 records, got {len(records)}", hint="import a list first")
    clock = _Clock(timings)
    features = profile.features(records, places)
    clock.lap("features")
    if len(features) >= MIN_TRAIN_RECORDS or profile is not splink_model.VICTIMS:
        model = splink_model.train(features, seed=seed, backend=backend, spark_session=spark_session, profile=profile)
    else:
        model = copy.deepcopy(synthetic_model(seed))
    clock.lap("train")
    weakest = 1.0 if attach_threshold is None else min(attach_threshold, PAIR_FLOOR)
    floor = min(splink_model.PREDICT_FLOOR, threshold, weakest)
    pairs = splink_model.predict(features, model, backend=backend, spark_session=spark_session, floor=floor,
                                 profile=profile, term_frequencies=len(features) >= MIN_TRAIN_RECORDS)  # fmt: skip
    clock.lap("predict")
    conflicts = profile.conflicts(features)
    assignments = cluster(features["unique_id"].to_numpy(), pairs, threshold, constraints, conflicts,
                          attach_threshold=attach_threshold, one_to_one=one_to_one,
                          corroboration=CORROBORATION, list_duplicate=LIST_DUPLICATE)  # fmt: skip
    clock.lap("cluster")
    return assignments, pairs, model


class _Clock:
    """Seconds per stage into ``timings`` (when given)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = round(now - self.last, 2)
        self.last = now


@lru_cache(maxsize=2)
def synthetic_model(seed: int = 0) -> dict[str, Any]:
    """A model learnt on 6,000 generated Syrian-style records, for stores too small to learn from.

    Its m and u probabilities reflect the generator's error rates, not the lists at hand; with enough records
    (:data:`MIN_TRAIN_RECORDS`) the model is always learnt from the lists themselves.
    """
    from tawthiq.link.synth import generate_lists, iter_places

    frame = generate_lists(6000, n_lists=5, seed=seed)
    frame["unique_id"] = range(len(frame))
    features = build_features(frame, PlaceIndex.from_rows(list(iter_places())))
    model = splink_model.train(features, seed=seed)
    return model


def link_store(store: Store, *, threshold: float = DEFAULT_THRESHOLD, places_file: Path | None = None,
               backend: splink_model.Backend = "duckdb", seed: int = 0) -> LinkResult:  # fmt: skip
    """Link every stored record, honour analysts' decisions, and replace the persons of the previous run."""
    records = load_records(store)
    places = PlaceIndex.from_csv(places_file) if places_file else None
    assignments, pairs, model = link_records(
        records, threshold=threshold, places=places, constraints=stored_constraints(store), backend=backend, seed=seed
    )
    with store.transaction() as conn:
        run_id = _write_run(conn, assignments, pairs, model, backend, threshold)
    return LinkResult(run_id, len(records), int(assignments["person"].nunique()), len(pairs))


def _pair_lookup(pairs: pd.DataFrame) -> dict[tuple[int, int], tuple[float, float, str]]:
    weights = [c for c in pairs.columns if c.startswith("mw_")]
    out = {}
    for row in pairs.itertuples(index=False):
        a, b = int(row.unique_id_l), int(row.unique_id_r)
        detail = json.dumps({w[3:]: round(float(getattr(row, w)), 3) for w in weights})
        out[(min(a, b), max(a, b))] = (float(row.match_probability), float(row.match_weight), detail)
    return out


def _write_run(conn: Connection, assignments: pd.DataFrame, pairs: pd.DataFrame, model: dict[str, Any],
               backend: str, threshold: float) -> int:  # fmt: skip
    confirmed = {r[0] for r in conn.execute("SELECT id FROM persons WHERE confirmed = 1")}
    conn.execute("DELETE FROM person_records")
    conn.execute("DELETE FROM persons")
    n_persons = int(assignments["person"].nunique())
    run_id = int(conn.scalar(
        "INSERT INTO link_runs (backend, threshold, n_records, n_persons, model) VALUES (?, ?, ?, ?, ?) RETURNING id",
        (backend, threshold, len(assignments), n_persons, json.dumps(model, ensure_ascii=False)),
    ))
    sizes = assignments.groupby("person").size()
    conn.executemany(
        "INSERT INTO persons (id, run_id, n_records, confirmed) VALUES (?, ?, ?, ?)",
        [(int(p), run_id, int(n), int(p) in confirmed) for p, n in sizes.items()],
    )
    lookup = _pair_lookup(pairs)
    rows = []
    for rec in assignments.itertuples(index=False):
        via = None if pd.isna(rec.via) else int(rec.via)
        prob, weight, detail = (None, None, "{}")
        if via is not None:
            key = (min(int(rec.unique_id), via), max(int(rec.unique_id), via))
            prob, weight, detail = lookup.get(key, (1.0, None, '{"analyst": 1}'))
        rows.append((int(rec.person), int(rec.unique_id), via, prob, weight, detail))
    conn.executemany(
        "INSERT INTO person_records (person_id, record_id, via_record_id, match_probability, match_weight, weights) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    return run_id
