"""Extraction quality gate: precision, recall and F1 per field against hand-written gold, with pinned floors.

Gold files (``gold_*.json``) hold, per corpus file, the claims a careful reader finds: field values and the character
offsets (in the original file) of the figure, or of the key words of an event or caveat. No article text is stored.

A predicted claim matches a gold claim when they are of the same kind and the predicted figure (for counts) or sentence
(for events and caveats), located in the original file, covers the gold anchor. Per field, over matched pairs and
unmatched predictions: a correct non-empty value is a true positive, a wrong or spurious value a false positive, a
gold value not found a false negative.

Floors (``floors_*.json``) pin the scores with the hash of the gold file. Raising them is easy
(``python -m tests.quality.gate --update``); lowering needs ``--allow-lower`` and a reason in the commit message.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIELDS = ("kind", "outcome", "population", "low", "best", "high", "qualifier", "date", "admin1", "attributed_to",
          "caveat", "community")


def gold_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def predicted(db: Path, corpus: Path, name: str) -> list[dict[str, Any]]:
    """The claims of one corpus file in the store, each with the range it covers in the original file."""
    raw = (corpus / name).read_text(encoding="utf-8", errors="replace")
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        """SELECT c.* FROM claims c JOIN documents d ON d.id = c.document_id
           WHERE d.path LIKE ? ORDER BY c.seq""", (f"%{name}",)
    ).fetchall()
    conn.close()
    out = []
    for r in rows:
        at = raw.find(r["sentence"])
        if at < 0:
            at = raw.find(r["sentence"][:60])
        if r["quantity_start"] is not None:
            start = at + r["quantity_start"] - r["span_start"]
            cover = (start, start + (r["quantity_end"] - r["quantity_start"]))
        else:
            cover = (at, at + len(r["sentence"]))
        record = {f: r[f] for f in FIELDS if f not in ("date", "qualifier")}
        record["qualifier"] = r["qualifier"]
        record["date"] = r["date_start"]
        record["cover"] = cover if at >= 0 else (-1, -1)
        out.append(record)
    return out


def _same(field: str, gold: Any, pred: Any) -> bool:
    if field == "date":
        return pred is not None and gold is not None and str(pred).startswith(str(gold))
    return gold == pred


def _matches(g: dict[str, Any], p: dict[str, Any]) -> bool:
    a, b = g["anchor"]
    c, d = p["cover"]
    return g["kind"] == p["kind"] and c < b and a < d


def evaluate(gold_path: Path, db: Path, corpus: Path) -> dict[str, dict[str, float]]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for name, doc in gold["documents"].items():
        preds = predicted(db, corpus, name)
        used: set[int] = set()
        for g in doc["claims"]:
            match = next((i for i, p in enumerate(preds) if i not in used and _matches(g, p)), None)
            p = preds[match] if match is not None else {}
            if match is not None:
                used.add(match)
            counts["claim"][0 if match is not None else 2] += 1
            for f in FIELDS:
                gv, pv = g.get(f), p.get(f)
                if gv is not None and _same(f, gv, pv):
                    counts[f][0] += 1
                    continue
                if pv is not None:
                    counts[f][1] += 1
                if gv is not None:
                    counts[f][2] += 1
        for i, p in enumerate(preds):
            if i in used or p["kind"] not in ("casualty_count", "actor_count"):
                continue  # unmatched events and caveats are not scored: gold lists only the notable ones
            counts["claim"][1] += 1
            for f in FIELDS:
                if p.get(f) is not None:
                    counts[f][1] += 1
    return {f: _scores(*c) for f, c in sorted(counts.items())}


def _scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def check(scores: dict[str, dict[str, float]], floors_path: Path, gold_path: Path) -> list[str]:
    """Problems with the scores against the pinned floors (empty when all is well)."""
    floors = json.loads(floors_path.read_text(encoding="utf-8"))
    problems = []
    if floors["gold_sha256"] != gold_hash(gold_path):
        problems.append(f"{gold_path.name} changed since the floors were pinned: re-pin with --update")
    for field, floor in floors["floors"].items():
        got = scores.get(field)
        for metric, value in floor.items():
            if got is None or got[metric] + 1e-9 < value:
                problems.append(f"{field} {metric} {got[metric] if got else None} < floor {value}")
    return problems


def update(scores: dict[str, dict[str, float]], floors_path: Path, gold_path: Path, allow_lower: bool) -> None:
    old = json.loads(floors_path.read_text(encoding="utf-8"))["floors"] if floors_path.exists() else {}
    for field, metrics in old.items():
        for metric, value in metrics.items():
            if scores.get(field, {}).get(metric, 0) < value and not allow_lower:
                sys.exit(f"refusing to lower {field} {metric} below {value}: "
                         "pass --allow-lower and say why in the commit")
    floors_path.write_text(json.dumps({"gold_sha256": gold_hash(gold_path), "floors": scores}, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a store made by `tawthiq ingest` of the corpus")
    parser.add_argument("--corpus", type=Path, default=HERE.parents[1] / ".." / "shared" / "corpus")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--allow-lower", action="store_true")
    args = parser.parse_args()
    gold_path, floors_path = HERE / f"gold_{args.lang}.json", HERE / f"floors_{args.lang}.json"
    scores = evaluate(gold_path, args.db, args.corpus)
    print(json.dumps(scores, indent=1))
    if args.update:
        update(scores, floors_path, gold_path, args.allow_lower)


if __name__ == "__main__":
    main()
