"""Ingest + extract throughput on a synthetic corpus: documents/second, MB/second, peak memory, and a peer ratio.

    .venv/bin/python -m benchmarks.bench_ingest --n 5000
    .venv/bin/python -m benchmarks.bench_ingest --n 5000 --lang both   # Arabic reports beside the English figure
    .venv/bin/python -m benchmarks.bench_ingest --n 500 --regroup      # also time the grouping of incidents

The peer is trafilatura's own main-text extraction over the same HTML pages (the step every ingest pipeline of news
pages shares): the ratio says how much our cleaning, extraction and storage cost on top of it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from benchmarks import synth_articles, synth_articles_ar


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_tawthiq(paths: list[Path], db: Path, group: bool = False) -> tuple[float, int, float | None]:
    """Seconds to ingest and extract ``paths``, the claims written, and (with ``group``) the seconds to regroup."""
    from tawthiq.pipeline import ingest_paths, regroup
    from tawthiq.store import open_store

    start = time.perf_counter()
    with open_store(db) as store:
        result = ingest_paths(store, paths)
        elapsed = time.perf_counter() - start
        claims = store.query("SELECT count(*) FROM claims")[0][0]
        grouped = None
        if group:
            t0 = time.perf_counter()
            regroup(store)
            grouped = time.perf_counter() - t0
    if result.failed:
        raise SystemExit(f"{len(result.failed)} files failed: {result.failed[0]}")
    return elapsed, int(claims), grouped


def bench_trafilatura(paths: list[Path]) -> float:
    import trafilatura

    start = time.perf_counter()
    for path in paths:
        if path.suffix == ".html":
            trafilatura.extract(path.read_text(encoding="utf-8"), with_metadata=True)
    return time.perf_counter() - start


def run(lang: str, n: int, seed: int, tmp: Path, group: bool = False) -> dict[str, float]:
    """Generate ``n`` articles in ``lang`` and ingest them; figures of the run (and of the trafilatura peer)."""
    write = synth_articles_ar.write_corpus if lang == "ar" else synth_articles.write_corpus
    folder = tmp / f"corpus_{lang}"
    paths = write(folder, n, seed)
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    before = peak_rss_mb()
    elapsed, claims, grouped = bench_tawthiq(paths, tmp / f"bench_{lang}.db", group)
    html_paths = [p for p in paths if p.suffix == ".html"]
    peer = bench_trafilatura(html_paths)
    return {"n": n, "size_mb": size_mb, "claims": claims, "elapsed": elapsed, "docs_s": n / elapsed,
            "peer_docs_s": len(html_paths) / peer if peer else float("nan"), "html": len(html_paths),
            "peak_mb": peak_rss_mb(), "peak_before_mb": before, "group_s": grouped if grouped is not None else -1.0}


def report(lang: str, f: dict[str, float]) -> None:
    name = {"en": "English", "ar": "Arabic"}[lang]
    print(f"[{name}] documents            {f['n']:.0f} ({f['size_mb']:.1f} MB, {f['claims']:.0f} claims)")
    print(f"[{name}] tawthiq ingest+extract {f['elapsed']:8.1f} s  {f['docs_s']:8.1f} documents/s  "
          f"{f['size_mb'] / f['elapsed']:6.2f} MB/s")
    print(f"[{name}] peer: trafilatura.extract alone on the {f['html']:.0f} HTML pages  "
          f"{f['peer_docs_s']:8.1f} documents/s")
    print(f"[{name}] ratio tawthiq/trafilatura (documents/s)  {f['docs_s'] / f['peer_docs_s']:.2f}")
    if f["group_s"] >= 0:
        print(f"[{name}] regroup incidents over all claims  {f['group_s']:8.1f} s")
    print(f"[{name}] peak memory (max RSS of the process so far) {f['peak_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="number of generated articles (default 5000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lang", choices=("en", "ar", "both"), default="en",
                        help="English articles (default), Arabic reports, or both in one run, side by side")
    parser.add_argument("--regroup", action="store_true", help="also time regrouping incidents after the ingest")
    args = parser.parse_args()
    langs = ["ar", "en"] if args.lang == "both" else [args.lang]
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lang in langs:  # Arabic first: the process's peak memory then belongs to it
            figures[lang] = run(lang, args.n, args.seed, Path(tmp), args.regroup)
    for lang in langs:
        report(lang, figures[lang])
    if len(langs) == 2:
        print(f"Arabic/English documents/s  {figures['ar']['docs_s'] / figures['en']['docs_s']:.2f}")


if __name__ == "__main__":
    main()
