"""Crawl files and the batch write path, in one process: what the Spark job shares with the single machine."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synth_articles import write_corpus
from tawthiq.errors import ConfigError, StoreError, UnreadableError
from tawthiq.pipeline import ingest_paths
from tawthiq.scale.inputs import (
    Failure,
    Files,
    Jsonl,
    Parquet,
    RecordItem,
    parse_jsonl_line,
    plan_inputs,
    record_from_mapping,
)
from tawthiq.scale.local import ingest_local
from tawthiq.store import open_store
from tests.scale.crawl import crawl_records, write_jsonl, write_parquet
from tests.scale.snapshot import chain_ok, differences, snapshot

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.fixed_dictionaries({}, optional={k: JSON for k in ("url", "html", "text", "published_at", "title")})


@given(st.binary(max_size=300))
def test_any_line_is_a_record_a_failure_or_blank(line: bytes) -> None:
    item = parse_jsonl_line("crawl.jsonl", 3, line)
    assert item is None or isinstance(item, RecordItem | Failure)
    if isinstance(item, Failure):
        assert item.name == "crawl.jsonl#3" and item.reason


@given(FIELDS | JSON)
def test_any_json_value_is_a_record_or_a_failure_naming_its_line(value: object) -> None:
    item = parse_jsonl_line("c.jsonl", 12, json.dumps(value).encode())
    assert isinstance(item, RecordItem | Failure)
    assert item.name == "c.jsonl#12"


@given(url=st.text(min_size=1).filter(str.strip), body=st.text(min_size=1), html=st.booleans(),
       title=st.text(max_size=30))
def test_a_record_keeps_its_bytes_url_and_title(url: str, body: str, html: bool, title: str) -> None:
    record = {"url": url, "html" if html else "text": body, "title": title}
    item = parse_jsonl_line("c.jsonl", 1, json.dumps(record).encode())
    assert item == record_from_mapping("c.jsonl#1", record)
    assert isinstance(item, RecordItem)
    assert item.data == body.encode("utf-8") and item.url == url.strip() and item.title == title
    assert item.suffix == (".html" if html else ".txt")


def test_every_problem_of_a_record_is_reported_together() -> None:
    item = record_from_mapping("c.jsonl#4", {"html": 3, "published_at": "yesterday", "title": ["x"]})
    assert isinstance(item, Failure)
    for problem in ("no 'url'", "'html' is not a string", "'published_at' 'yesterday' is not an ISO date",
                    "'title' is not a string"):
        assert problem in item.reason
    assert isinstance(parse_jsonl_line("c.jsonl", 2, b'{"url": "u", "text": '), Failure)
    assert parse_jsonl_line("c.jsonl", 2, b"  \r\n") is None


def test_publication_dates_are_taken_in_utc() -> None:
    def published(value: object) -> dt.date | None:
        item = record_from_mapping("r", {"url": "u", "text": "t", "published_at": value})
        assert isinstance(item, RecordItem)
        return item.published_at

    assert published("2025-03-08T23:30:00-05:00") == dt.date(2025, 3, 9)
    assert published("2025-03-08T01:30:00+03:00") == dt.date(2025, 3, 7)
    assert published("2025-03-08") == published(dt.date(2025, 3, 8)) == dt.date(2025, 3, 8)
    assert published(dt.datetime(2025, 3, 8, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-2)))) == dt.date(2025, 3, 9)


def test_inputs_are_planned_in_the_order_given(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_corpus(folder, 3)
    (folder / "README.md").write_text("about these files")
    crawl = write_jsonl(tmp_path / "crawl.jsonl", [])
    parquet = tmp_path / "crawl.parquet"
    parquet.write_bytes(b"junk")
    plan = plan_inputs([folder, crawl, tmp_path / "gone.jsonl", parquet, folder / "article_000000.txt"])
    assert [type(s) for s in plan.sources] == [Files, Jsonl, Parquet, Files]
    assert isinstance(plan.sources[0], Files) and [p.name for p in plan.sources[0].paths] == [
        "article_000000.txt", "article_000001.html", "article_000002.txt"]
    assert [name for name, _ in plan.skipped] == [str(folder / "README.md")]
    assert [f.name for f in plan.failed] == [str(tmp_path / "gone.jsonl")]


def test_batches_write_what_one_at_a_time_writes(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    paths = write_corpus(folder, 14, seed=3)
    text = next(p for p in paths if p.suffix == ".txt")
    (folder / "zz_republished.txt").write_text(text.read_text() + "\nShared from our partners.\n")
    shutil.copy(paths[1], folder / "zz_same_bytes.html")
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "batched.db") as batched:
        expected = ingest_paths(one, [folder])
        result = ingest_local(batched, [folder], batch_size=4)
        assert result.added == expected.added and len(result.added) == 15
        assert result.copies == expected.copies
        assert [c[0] for c in result.copies] == [str(folder / "zz_republished.txt")]
        assert result.unchanged == expected.unchanged == [str(folder / "zz_same_bytes.html")]
        assert differences(snapshot(one), snapshot(batched)) == []
        assert chain_ok(batched)
        before = snapshot(batched)
        again = ingest_local(batched, [folder], batch_size=4)
        assert again.added == [] and len(again.unchanged) == 16
        assert snapshot(batched) == before


def test_crawl_records_read_as_the_pages_they_hold(tmp_path: Path) -> None:
    records = crawl_records(tmp_path / "pages", 10)
    crawl = write_jsonl(tmp_path / "crawl.jsonl", records)
    with open_store(tmp_path / "files.db") as files, open_store(tmp_path / "crawl.db") as crawled:
        ingest_paths(files, [tmp_path / "pages"])
        result = ingest_local(crawled, [crawl])
        assert [name for name, _ in result.added] == [f"{crawl}#{i}" for i in range(1, 11)]
        by_file, by_record = snapshot(files), snapshot(crawled)
    html = {d["sha256"] for d in by_file["documents"] if d["media_type"] == "text/html"}
    assert len(html) == 5
    assert [c for c in by_record["claims"] if c["document"] in html] == [
        c for c in by_file["claims"] if c["document"] in html]
    titles = {d["sha256"]: d["title"] for d in by_file["documents"]}
    for doc, record in zip(by_record["documents"], records, strict=True):
        assert doc["url"] == record["url"]
        assert doc["title"] == titles[doc["sha256"]]  # the page's own title comes first
        if "text" in record:  # the record's date (22:30 at UTC-4 is the next day in UTC), the page having none
            day = int(record["published_at"][8:10]) + 1
            assert doc["published_at"] == f"2025-03-{day:02d}"
            assert doc["published_note"].startswith("from the crawl record's published_at")


def test_bad_records_and_files_are_reported_and_the_rest_ingested(tmp_path: Path) -> None:
    records = crawl_records(tmp_path / "pages", 6)
    crawl = write_jsonl(tmp_path / "crawl.jsonl", [*records[:3], {"text": "no url here"}, *records[3:]],
                        bad={2: '{"url": "https://x.example", "html": '})
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n not parquet")
    good = write_parquet(tmp_path / "good.parquet", crawl_records(tmp_path / "more", 4, seed=9))
    with open_store(tmp_path / "s.db") as store:
        result = ingest_local(store, [crawl, junk, tmp_path / "missing.jsonl", good])
        count = store.query("SELECT count(*) FROM documents")[0][0]
    failed = {e.path: e for e in result.failed}
    assert set(failed) == {f"{crawl}#3", f"{crawl}#5", str(junk), str(tmp_path / "missing.jsonl")}
    assert "not valid JSON" in failed[f"{crawl}#3"].reason and isinstance(failed[f"{crawl}#3"], UnreadableError)
    assert "no 'url'" in failed[f"{crawl}#5"].reason
    assert "not a readable Parquet file" in failed[str(junk)].reason
    assert len(result.added) == count == 10


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=6))
def test_a_record_crawled_twice_is_stored_once(order: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pages = {k: {"url": f"https://x.example/{k}", "text": f"Report {k}: gunmen killed {i + 3} people."}
                 for i, k in enumerate("abc")}
        crawl = write_jsonl(Path(tmp) / "c.jsonl", [pages[k] for k in order])
        with open_store(Path(tmp) / "s.db") as store:
            result = ingest_local(store, [crawl], batch_size=2)
            assert len(result.added) == len(set(order)) == store.query("SELECT count(*) FROM documents")[0][0]
            assert len(result.unchanged) == len(order) - len(set(order))


def test_a_failed_batch_is_rolled_back_and_a_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_corpus(folder, 12, seed=4)
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "batched.db") as batched:
        ingest_paths(one, [folder])
        batched.conn.execute("""CREATE TRIGGER full BEFORE INSERT ON documents WHEN NEW.path LIKE '%article_000006%'
                                BEGIN SELECT RAISE(ABORT, 'disk full'); END""")
        with pytest.raises(StoreError, match=r"batch of 5 documents from .*article_000005.* \(.*disk full\)"):
            ingest_local(batched, [folder], batch_size=5)
        assert batched.query("SELECT count(*) FROM documents")[0][0] == 5  # the first batch, not the second
        assert chain_ok(batched)
        batched.conn.execute("DROP TRIGGER full")
        again = ingest_local(batched, [folder], batch_size=5)
        assert len(again.unchanged) == 5 and len(again.added) == 7
        assert differences(snapshot(one), snapshot(batched)) == []


def test_the_spark_engine_without_java_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tawthiq.scale.spark import spark_session

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(ConfigError, match="needs Java") as caught:
        spark_session("local[1]")
    assert "default-jre-headless" in str(caught.value)
