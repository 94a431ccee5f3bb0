"""The Spark engine (local[2], one session for the module) stores exactly what the single process stores."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from benchmarks.synth_articles import write_corpus
from tawthiq.cli import main
from tawthiq.errors import StoreError
from tawthiq.pipeline import IngestResult, ingest_paths
from tawthiq.scale.local import ingest_local
from tawthiq.store import open_store
from tests.scale.crawl import crawl_records, write_jsonl, write_parquet
from tests.scale.snapshot import chain_ok, differences, snapshot

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    # py4j leaves its gateway sockets to the garbage collector: not our resource to close
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"),
]


def outcome(result: IngestResult) -> tuple[object, ...]:
    return (result.added, result.unchanged, result.skipped, result.copies, [str(e) for e in result.failed])


def test_the_corpus_gives_identical_claims(spark: SparkSession, corpus: Path, corpus_ar: Path,
                                           tmp_path: Path) -> None:
    from tawthiq.scale.spark import ingest_spark

    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "spark.db") as distributed:
        expected = ingest_paths(one, [corpus, corpus_ar])
        result = ingest_spark(distributed, [corpus, corpus_ar], spark=spark)
        assert outcome(result) == outcome(expected) and len(result.added) == 6
        left, right = snapshot(one), snapshot(distributed)
        assert differences(left, right) == [] and left == right
        assert len(right["claims"]) > 50 and chain_ok(distributed)


def test_2000_generated_articles_give_identical_claims(spark: SparkSession, tmp_path: Path) -> None:
    from tawthiq.scale.spark import ingest_spark

    folder = tmp_path / "articles"
    paths = write_corpus(folder, 2000, seed=21)
    for i, path in enumerate(paths[:40:8]):  # republished copies, named to come after their originals
        (folder / f"zz_copy_{i}{path.suffix}").write_text(path.read_text() + "\n<p>Shared from a partner site.</p>\n")
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "spark.db") as distributed:
        expected = ingest_paths(one, [folder])
        result = ingest_spark(distributed, [folder], spark=spark, batch_size=300, per_partition=40)
        assert outcome(result) == outcome(expected)
        assert len(result.added) == 2005
        copied = {Path(name).name for name, _, _ in result.copies}  # the generator's own near-duplicates, and ours
        assert {f"zz_copy_{i}{p.suffix}" for i, p in enumerate(paths[:40:8])} <= copied
        left, right = snapshot(one), snapshot(distributed)
        assert differences(left, right) == [] and left == right
        assert len(right["claims"]) > 6000 and chain_ok(distributed)


def test_jsonl_and_parquet_give_what_the_single_process_gives(spark: SparkSession, tmp_path: Path) -> None:
    from tawthiq.scale.spark import ingest_spark

    records = crawl_records(tmp_path / "pages", 40)
    records.insert(5, {"html": "<p>a page without its address</p>"})
    records.append(dict(records[0]))  # crawled twice
    crawl = write_jsonl(tmp_path / "crawl.jsonl", records, bad={9: "{not json", 20: ""})
    rows = write_parquet(tmp_path / "crawl.parquet", records, row_group_size=7)
    for source in (crawl, rows):
        with open_store(tmp_path / f"{source.suffix}-one.db") as one, \
                open_store(tmp_path / f"{source.suffix}-spark.db") as distributed:
            expected = ingest_local(one, [source])
            result = ingest_spark(distributed, [source], spark=spark, per_partition=6, batch_size=9)
            assert outcome(result) == outcome(expected)
            assert len(result.added) == 40 and len(result.unchanged) == 1
            assert {e.path.rsplit("#", 1)[0] for e in result.failed} == {str(source)}
            assert differences(snapshot(one), snapshot(distributed)) == []
    assert len(expected.failed) == 1  # Parquet has no broken line, only the record without url


def test_a_rerun_writes_nothing_on_either_engine(spark: SparkSession, tmp_path: Path) -> None:
    from tawthiq.scale.spark import ingest_spark

    folder = tmp_path / "articles"
    write_corpus(folder, 12, seed=5)
    with open_store(tmp_path / "s.db") as store:
        first = ingest_spark(store, [folder], spark=spark, batch_size=5)
        before = snapshot(store)
        again = ingest_spark(store, [folder], spark=spark, batch_size=5)
        assert len(first.added) == 12 and again.added == [] and len(again.unchanged) == 12
        local = ingest_paths(store, [folder])
        assert local.added == [] and len(local.unchanged) == 12
        assert snapshot(store) == before and chain_ok(store)


def test_a_failed_batch_stops_the_job_and_a_rerun_completes(spark: SparkSession, tmp_path: Path) -> None:
    from tawthiq.scale.spark import ingest_spark

    folder = tmp_path / "articles"
    write_corpus(folder, 12, seed=4)
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "spark.db") as distributed:
        ingest_paths(one, [folder])
        distributed.conn.execute("""CREATE TRIGGER full BEFORE INSERT ON documents WHEN NEW.path LIKE '%_000003%'
                                    BEGIN SELECT RAISE(ABORT, 'disk full'); END""")
        with pytest.raises(StoreError, match=r"\(.*disk full\)"):  # with waves of partitions still to come
            ingest_spark(distributed, [folder], spark=spark, batch_size=2, per_partition=1)
        assert distributed.query("SELECT count(*) FROM documents")[0][0] == 2
        distributed.conn.execute("DROP TRIGGER full")
        again = ingest_spark(distributed, [folder], spark=spark, batch_size=2, per_partition=1)
        assert len(again.unchanged) == 2 and len(again.added) == 10
        assert differences(snapshot(one), snapshot(distributed)) == [] and chain_ok(distributed)


def test_bad_files_among_good_ones_are_reported_and_the_rest_ingested(spark: SparkSession, tmp_path: Path) -> None:
    from tawthiq.scale.spark import ingest_spark

    folder = tmp_path / "mixed"
    write_corpus(folder, 6, seed=8)
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.html").write_text("<html><body>  <script>var x = 1;</script> </body></html>")
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "spark.db") as distributed:
        expected = ingest_paths(one, [folder])
        result = ingest_spark(distributed, [folder], spark=spark)
        assert outcome(result) == outcome(expected)
        assert len(result.added) == 6
        assert {Path(e.path).name for e in result.failed} == {"photo.txt", "empty.txt", "blank.html"}
        assert differences(snapshot(one), snapshot(distributed)) == []


def test_the_ingest_command_runs_on_spark(spark: SparkSession, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_corpus(folder, 4, seed=2)
    crawl = write_jsonl(tmp_path / "crawl.jsonl", crawl_records(tmp_path / "pages", 3, seed=4))
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    done = runner.invoke(main, ["--db", db, "ingest", "--engine", "spark", str(folder), str(crawl)])
    assert done.exit_code == 0, done.output
    assert "7 added, 0 unchanged, 0 failed" in done.output
    assert spark.sparkContext._jsc is not None  # the module's session was reused, not stopped
    wrong = runner.invoke(main, ["--db", db, "ingest", "--master", "local[1]", str(folder)])
    assert wrong.exit_code == 2 and "--master is for --engine spark" in wrong.output
