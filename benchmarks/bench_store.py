"""Store benchmark: `tawthiq db copy` of a large store, SQLite → PostgreSQL → SQLite, with time and peak memory.

    .venv/bin/python -m benchmarks.bench_store --claims 1000000

Builds a SQLite store of generated documents (10 claims each) with the store's own bulk writer, starts a PostgreSQL
server in a temporary folder (tests/fixtures/postgres.py), and times each copy with its verification (row counts
and content hashes of every table). Prints rows a second and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import tempfile
import time
from pathlib import Path

from rich.progress import Progress

from tawthiq.store import open_store
from tawthiq.store.copy import copy_store
from tawthiq.store.records import CLAIM_COLUMNS
from tests.fixtures.postgres import running_server

CLAIMS_PER_DOCUMENT = 10


def build(path: Path, claims: int) -> None:
    """A store with ``claims`` claims over generated documents (the claims' sentences are spans of their text)."""
    documents = max(1, claims // CLAIMS_PER_DOCUMENT)
    sentence = "At least {n} people were killed in the village on {d} March, the monitor said."
    with open_store(path) as store, Progress() as bar:
        task = bar.add_task("building", total=documents)
        for start in range(0, documents, 1000):
            with store.transaction() as conn:
                for d in range(start, min(documents, start + 1000)):
                    text = " ".join(sentence.format(n=d % 97 + k, d=k % 28 + 1) for k in range(CLAIMS_PER_DOCUMENT))
                    sha = hashlib.sha256(f"doc-{d}".encode()).hexdigest()
                    doc_id = conn.scalar(
                        "INSERT INTO documents (sha256, path, media_type, original, text) VALUES (?, ?, ?, ?, ?) "
                        "RETURNING id", (sha, f"doc-{d}.txt", "text/plain", text.encode(), text))
                    rows = []
                    width = len(sentence.format(n=0, d=1))
                    for k in range(CLAIMS_PER_DOCUMENT):
                        row = dict.fromkeys(CLAIM_COLUMNS)
                        row.update(document_id=doc_id, seq=k, kind="casualty", outcome="killed", low=k, best=k,
                                   date_inferred=0, actors="[]", language="en", span_start=k * width,
                                   span_end=k * width + 40, sentence=text[k * width:k * width + 40], admin1="Hama")
                        rows.append(tuple(row[c] for c in CLAIM_COLUMNS))
                    conn.copy_rows("claims", CLAIM_COLUMNS, rows)
            bar.update(task, advance=min(1000, documents - start))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_copy(label: str, source: str, target: str) -> None:
    with open_store(source, create=False) as src, open_store(target) as dst:
        began = time.perf_counter()
        report = copy_store(src, dst)
        took = time.perf_counter() - began
    rows = sum(t.source_rows for t in report.tables)
    print(f"{label}: {rows:,} rows in {took:.1f} s ({rows / took:,.0f} rows/s) including verification; "
          f"verified={report.verified}; peak RSS so far {peak_mb():,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tawthiq-bench-store-") as tmp:
        source = Path(tmp) / "source.db"
        began = time.perf_counter()
        build(source, args.claims)
        print(f"built {args.claims:,} claims in {time.perf_counter() - began:.1f} s "
              f"({source.stat().st_size / 2**20:,.0f} MB)")
        with running_server(port=55499) as server:
            server.admin("CREATE DATABASE bench")
            url = server.url("bench")
            timed_copy("SQLite -> PostgreSQL", str(source), url)
            timed_copy("PostgreSQL -> SQLite", url, str(Path(tmp) / "back.db"))
            began = time.perf_counter()
            with open_store(str(source), create=False) as src, open_store(url) as dst:
                again = copy_store(src, dst)
            print(f"copy again (a no-op): {again.inserted} new rows, {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
