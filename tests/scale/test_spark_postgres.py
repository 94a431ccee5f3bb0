"""The Spark job writing into PostgreSQL (claims by COPY, batch by batch) stores what the single process stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.synth_articles import write_corpus
from tawthiq.pipeline import ingest_paths
from tawthiq.store import open_store
from tests.fixtures.postgres import PostgresServer, running_server
from tests.scale.snapshot import chain_ok, differences, snapshot
from tests.scale.test_spark_ingest import outcome, pytestmark

pytestmark = [*pytestmark, pytest.mark.postgres]


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    with running_server(port=55434) as running:
        yield running


@pytest.mark.parametrize("articles", [0, 500])
def test_spark_into_postgresql_gives_what_one_process_gives(spark: object, server: PostgresServer, corpus: Path,
                                                            corpus_ar: Path, tmp_path: Path, articles: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from tawthiq.scale.spark import ingest_spark

    inputs = [corpus, corpus_ar]
    if articles:
        write_corpus(tmp_path / "articles", articles, seed=33)
        inputs = [tmp_path / "articles"]
    name = f"spark{articles}"
    server.admin(f"CREATE DATABASE {name}")
    monkeypatch.setenv("TAWTHIQ_VAULT", str(tmp_path / "pg-vault"))
    with open_store(server.url(name)) as distributed:
        result = ingest_spark(distributed, inputs, spark=spark, batch_size=100, per_partition=40)
        right = snapshot(distributed)
        assert chain_ok(distributed)
        analysed = {r[0] for r in distributed.query(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")}
        assert {"claims", "documents"} <= analysed  # refreshed by the job itself (Store.analyze)
        again = ingest_spark(distributed, inputs, spark=spark)
        assert again.added == [] and len(again.unchanged) == len(result.added)
    monkeypatch.delenv("TAWTHIQ_VAULT")
    with open_store(tmp_path / "one.db") as one:
        expected = ingest_paths(one, inputs)
        left = snapshot(one)
    assert outcome(result) == outcome(expected)
    assert differences(left, right) == [] and left == right
    assert len(right["claims"]) > (50 if not articles else 1500)
