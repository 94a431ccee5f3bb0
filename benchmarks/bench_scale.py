"""Ingest + extract of generated articles: the single process against Spark local[1] and local[2].

    .venv/bin/python -m benchmarks.bench_scale --n 5000
    .venv/bin/python -m benchmarks.bench_scale --n 100000 --input jsonl     # the issue's figure, on a real machine
    .venv/bin/python -m benchmarks.bench_scale --n 2000 --masters local[1] local[2] local[4]
    .venv/bin/python -m benchmarks.bench_scale --n 5000 --masters        # the single process only (no Spark)

Each engine ingests the same articles (a folder of files, or one JSONL crawl file) into a fresh store. Printed:
documents/second, seconds and CPU seconds of this process per engine (for the single process all of its work, which a
busy shared machine inflates less than the seconds; for Spark only the driver's share); the Spark session's start
apart (not in documents/second; the JVM starts once per process, so a second session starts in a second or two); the
ratio of each run to the single process; whether every engine stored the same claims (count and a digest of their
rows); and, on up to 1,000 articles, the rate of one worker and of the driver's write path alone. The default ``--n``
is the issue's 100,000; on a small shared machine run 5,000 to 10,000 and say so beside the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.synth_articles import write_corpus


@dataclass
class Run:
    engine: str
    seconds: float
    cpu_seconds: float  # of this process: all the work of the single process, the driver's share of a Spark run
    start_seconds: float
    documents: int
    claims: int
    digest: str

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else float("nan")


def claims_digest(db: Path) -> tuple[int, str]:
    """The number of claims and a SHA-256 over their rows (without row ids) in document order."""
    from tawthiq.store import open_store

    digest = hashlib.sha256()
    with open_store(db) as store:
        rows = store.query("""SELECT d.sha256, c.* FROM claims c JOIN documents d ON d.id = c.document_id
                              ORDER BY d.id, c.seq""")
    for row in rows:
        digest.update(json.dumps([row[k] for k in row.keys() if k not in ("id", "document_id")]).encode())  # noqa: SIM118
    return len(rows), digest.hexdigest()[:16]


def timed(engine: str, db: Path, ingest: Callable[[], int], start_seconds: float = 0.0) -> Run:
    start, cpu = time.perf_counter(), time.process_time()
    documents = ingest()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    claims, digest = claims_digest(db)
    return Run(engine, seconds, cpu_seconds, start_seconds, documents, claims, digest)


def single(inputs: list[Path], db: Path, batch_size: int) -> Run:
    from tawthiq.pipeline import ingest_paths
    from tawthiq.scale.local import ingest_local
    from tawthiq.store import open_store

    def ingest() -> int:
        with open_store(db) as store:
            records = inputs[0].suffix == ".jsonl"
            result = ingest_local(store, inputs, batch_size=batch_size) if records else ingest_paths(store, inputs)
        return len(result.added)

    return timed("single process", db, ingest)


def on_spark(master: str, inputs: list[Path], db: Path, batch_size: int) -> Run:
    from tawthiq.scale.spark import ingest_spark, spark_session
    from tawthiq.store import open_store

    t0 = time.perf_counter()
    session = spark_session(master)
    session.sparkContext.parallelize(range(4), 2).count()  # the executors' JVM side up before the clock starts
    started = time.perf_counter() - t0

    def ingest() -> int:
        with open_store(db) as store:
            return len(ingest_spark(store, inputs, spark=session, batch_size=batch_size).added)

    try:
        return timed(f"spark {master}", db, ingest, started)
    finally:
        session.stop()


def driver_ceiling(paths: list[Path], db: Path) -> tuple[float, float]:
    """Documents/second of a worker (read, clean, extract) and of the driver's write path alone (copy detection and
    batched writes of already prepared documents): the driver's figure bounds what any number of executors reach."""
    from tawthiq.pipeline import IngestResult, Prepared
    from tawthiq.scale.inputs import FileItem, prepare_item
    from tawthiq.scale.spark import stage_original
    from tawthiq.scale.writer import SqliteWriter, commit_in_order
    from tawthiq.store import open_store

    with open_store(db) as store:
        writer = SqliteWriter(store)
        vault = writer.staging()
        start = time.perf_counter()
        outcomes = [prepare_item(FileItem(str(path))) for path in paths]
        for outcome in outcomes:  # as a Spark executor does: originals into the vault ahead of the driver
            if vault is not None and isinstance(outcome, Prepared):
                stage_original(vault, outcome.data)
        prepared = time.perf_counter() - start
        start = time.perf_counter()
        commit_in_order(outcomes, writer, IngestResult())
        return len(paths) / prepared, len(paths) / (time.perf_counter() - start)


def to_jsonl(paths: list[Path], out: Path) -> Path:
    with out.open("w", encoding="utf-8") as lines:
        for path in paths:
            body = "html" if path.suffix == ".html" else "text"
            record = {"url": f"https://news.example.org/{path.stem}", body: path.read_text(encoding="utf-8")}
            lines.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def report(runs: list[Run], n: int, source: str, ceiling: tuple[int, float, float]) -> None:
    base = runs[0]
    load = os.getloadavg()[0]
    print(f"{n} generated articles as {source}; {os.cpu_count()} CPUs, load average {load:.1f} at the end")
    print(f"{'engine':<18}{'seconds':>9}{'CPU s':>8}{'docs/s':>9}{'ratio':>7}{'start s':>9}{'claims':>9}  digest")
    for run in runs:
        ratio = run.per_second / base.per_second
        start = f"{run.start_seconds:.1f}" if run.engine != base.engine else "-"
        print(f"{run.engine:<18}{run.seconds:9.1f}{run.cpu_seconds:8.1f}{run.per_second:9.1f}{ratio:7.2f}{start:>9}"
              f"{run.claims:9d}  {run.digest}")
    same = len({(r.claims, r.digest) for r in runs}) == 1
    print("same claims on every engine" if same else "ENGINES DISAGREE on the claims stored")
    k, worker, driver = ceiling
    print(f"on {k} of the articles: one worker prepares {worker:.1f} documents/s; the driver's write path alone "
          f"commits {driver:.1f} documents/s (the ceiling for any number of executors: {driver / worker:.1f} workers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="generated articles (default 100,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--input", choices=("folder", "jsonl"), default="folder",
                        help="a folder of files (default) or one JSONL crawl file")
    parser.add_argument("--masters", nargs="*", default=["local[1]", "local[2]"],
                        help="Spark masters to time (none given: the single process only)")
    parser.add_argument("--batch-size", type=int, default=500, help="documents per store transaction")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tawthiq-bench-scale-") as tmp:
        folder = Path(tmp) / "articles"
        paths = write_corpus(folder, args.n, args.seed)
        inputs = [to_jsonl(paths, Path(tmp) / "crawl.jsonl")] if args.input == "jsonl" else [folder]
        runs = [single(inputs, Path(tmp) / "single.db", args.batch_size)]
        for i, master in enumerate(args.masters):
            runs.append(on_spark(master, inputs, Path(tmp) / f"spark{i}.db", args.batch_size))
        k = min(args.n, 1000)
        ceiling = (k, *driver_ceiling(paths[:k], Path(tmp) / "driver.db"))
    report(runs, args.n, "one JSONL file" if args.input == "jsonl" else "a folder of files", ceiling)


if __name__ == "__main__":
    main()
