"""Ingest + extract throughput on a synthetic corpus: documents/second, MB/second, peak memory, and a peer ratio.

    .venv/bin/python -m benchmarks.bench_ingest --n 5000

The peer is trafilatura's own main-text extraction over the same HTML pages (the step every ingest pipeline of news
pages shares): the ratio says how much our cleaning, extraction and storage cost on top of it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.synth_articles import write_corpus


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_tawthiq(paths: list[Path], db: Path) -> tuple[float, int]:
    from tawthiq.pipeline import ingest_paths, regroup
    from tawthiq.store import open_store

    start = time.perf_counter()
    with open_store(db) as store:
        result = ingest_paths(store, paths)
        regroup(store)
        claims = store.query("SELECT count(*) FROM claims")[0][0]
    elapsed = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"{len(result.failed)} files failed: {result.failed[0]}")
    return elapsed, int(claims)


def bench_trafilatura(paths: list[Path]) -> float:
    import trafilatura

    start = time.perf_counter()
    for path in paths:
        if path.suffix == ".html":
            trafilatura.extract(path.read_text(encoding="utf-8"), with_metadata=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="number of generated articles (default 5000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        paths = write_corpus(folder, args.n, args.seed)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        elapsed, claims = bench_tawthiq(paths, Path(tmp) / "bench.db")
        html_paths = [p for p in paths if p.suffix == ".html"]
        peer = bench_trafilatura(html_paths)
    docs_s = args.n / elapsed
    peer_docs_s = len(html_paths) / peer if peer else float("nan")
    print(f"documents            {args.n} ({size_mb:.1f} MB, {claims} claims)")
    print(f"tawthiq ingest+extract {elapsed:8.1f} s  {docs_s:8.1f} documents/s  {size_mb / elapsed:6.2f} MB/s")
    print(f"peer: trafilatura.extract alone on the {len(html_paths)} HTML pages  {peer_docs_s:8.1f} documents/s")
    print(f"ratio tawthiq/trafilatura (documents/s)  {docs_s / peer_docs_s:.2f}")
    print(f"peak memory (max RSS) {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
