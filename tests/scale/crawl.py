"""Files of crawled documents made from generated articles (benchmarks/synth_articles.py: no real sentences)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.synth_articles import write_corpus


def crawl_records(folder: Path, n: int, seed: int = 7) -> list[dict[str, str]]:
    """``n`` generated articles as crawl records: HTML pages as ``html``, the plain-text ones as ``text`` with a
    ``published_at`` late in the evening west of UTC (its UTC date is the next day)."""
    records = []
    for i, path in enumerate(write_corpus(folder, n, seed)):
        record = {"url": f"https://news.example.org/{path.stem}"}
        if path.suffix == ".html":
            record["html"] = path.read_text(encoding="utf-8")
        else:
            record["text"] = path.read_text(encoding="utf-8")
            record["published_at"] = f"2025-03-{i % 28 + 1:02d}T22:30:00-04:00"
            record["title"] = f"Crawled title {i}"
        records.append(record)
    return records


def write_jsonl(path: Path, records: list[dict[str, str]], bad: dict[int, str] | None = None) -> Path:
    """One record a line; ``bad`` puts a raw line before the record at that index (0-based)."""
    lines = []
    for i, record in enumerate(records):
        if bad and i in bad:
            lines.append(bad[i])
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_parquet(path: Path, records: list[dict[str, str]], row_group_size: int = 7) -> Path:
    columns = ("url", "html", "text", "published_at", "title")
    table = pa.table({c: pa.array([r.get(c) for r in records], type=pa.string()) for c in columns})
    pq.write_table(table, path, row_group_size=row_group_size)
    return path
