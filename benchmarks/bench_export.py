"""Export N claims (default 1,000,000) in each field format: time and peak memory (target: under 300 MB each).

    .venv/bin/python -m benchmarks.bench_export            # 1,000,000 claims
    .venv/bin/python -m benchmarks.bench_export --n 100000 # a shorter run

The store is generated (one document per 10,000 claims, 50 incidents); each export runs in its own process so that
its peak resident memory (``ru_maxrss``) is its own. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tawthiq.store import open_store

FORMATS = ("jsonl", "acled", "ged", "hxl", "geojson", "parquet")
PLACES = [("Latakia", 35.5167, 35.7833), ("Tartus", 34.8890, 35.8866), ("Homs", 34.7308, 36.7090),
          ("Hama", 35.1318, 36.7578), ("Idlib", 35.9306, 36.6339)]
PER_DOCUMENT = 10_000


def _claims(doc_id: int, count: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    for seq in range(count):
        admin1, lat, lon = rng.choice(PLACES)
        day = 1 + rng.randrange(28)
        best = rng.randrange(1, 500)
        sentence = f"Synthetic claim {doc_id}-{seq}: {best} people were killed in {admin1} on {day} March 2025."
        yield (doc_id, seq, "casualty_count", "killed", "total", best, best, best + rng.randrange(50), "exact",
               str(best), f"2025-03-{day:02d}", f"2025-03-{day:02d}", 1, admin1, admin1,
               lat + rng.random() / 10, lon + rng.random() / 10, 2, f"speaker {seq % 9}",
               "Violence against civilians", json.dumps([{"name": "gunmen", "role": "perpetrator"}]), 0,
               len(sentence), sentence)


def build(path: Path, n: int) -> None:
    rng = random.Random(7)
    with open_store(path) as store, store.transaction() as conn:
        conn.execute("INSERT INTO sources (name, type, source_scale) VALUES ('Bench Wire', 'media', 'national')")
        for doc in range((n + PER_DOCUMENT - 1) // PER_DOCUMENT):
            text = f"Synthetic document {doc}."
            cur = conn.execute(
                "INSERT INTO documents (sha256, path, media_type, original, text, source_id) VALUES (?, ?, ?, ?, ?, 1)",
                (hashlib.sha256(text.encode()).hexdigest(), f"bench/{doc}.txt", "text/plain", text.encode(), text))
            count = min(PER_DOCUMENT, n - doc * PER_DOCUMENT)
            conn.executemany(
                "INSERT INTO claims (document_id, seq, kind, outcome, population, low, best, high, qualifier,"
                " quantity_text, date_start, date_end, date_prec, place, admin1, latitude, longitude, where_prec,"
                " attributed_to, event_type, actors, span_start, span_end, sentence)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _claims(int(cur.lastrowid or 0), count, rng))
        for i in range(50):
            conn.execute("INSERT INTO incidents (key, title, date_start, date_end, date_prec, admin1) VALUES"
                         " (?, ?, '2025-03-06', '2025-03-10', 2, '[\"Latakia\"]')", (f"bench-{i}", f"Bench {i}"))
        conn.execute("INSERT INTO incident_claims (incident_id, claim_id) SELECT 1 + (id % 50), id FROM claims")


def worker(db: str, fmt: str, out: str) -> None:
    """Run one export and print its row count, seconds and peak memory (MB) as JSON."""
    from tawthiq.export.claims import export_claims
    from tawthiq.export.formats import export_events

    start = time.perf_counter()
    with open_store(db) as store:
        rows = export_claims(store, "jsonl", out) if fmt == "jsonl" else \
            export_events(store, "claims", fmt, out)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": round(seconds, 1), "peak_mb": round(peak)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="claims to generate (default 1,000,000)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats to run")
    parser.add_argument("--worker", nargs=3, metavar=("DB", "FORMAT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        start = time.perf_counter()
        build(db, args.n)
        print(f"built {args.n:,} claims in {time.perf_counter() - start:.1f} s ({db.stat().st_size / 2**20:.0f} MB)")
        print(f"{'format':<8} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'peak MB':>8} {'file MB':>8}")
        for fmt in args.formats.split(","):
            out = Path(tmp) / f"out.{fmt}"
            done = subprocess.run([sys.executable, "-m", "benchmarks.bench_export", "--worker", str(db), fmt, str(out)],
                                  check=True, capture_output=True, text=True)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            rate = r["rows"] / r["seconds"] if r["seconds"] else 0
            print(f"{fmt:<8} {r['rows']:>10,} {r['seconds']:>8} {rate:>9,.0f} {r['peak_mb']:>8} "
                  f"{out.stat().st_size / 2**20:>8.0f}")
            out.unlink()


if __name__ == "__main__":
    main()
