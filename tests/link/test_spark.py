"""The Spark backend in local mode: the same model scores the same pairs as DuckDB."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    # py4j leaves its gateway sockets to the garbage collector: not our resource to close
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_spark_backend_scores_like_duckdb(generated: pd.DataFrame) -> None:
    if shutil.which("java") is None:
        pytest.skip("Java is missing: run scripts/system-deps.sh (Debian default-jre-headless)")
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark==4.0.1, a dev dependency)")
    from tawthiq.link import splink_model
    from tawthiq.link.features import build_features
    from tawthiq.link.run import synthetic_model

    features = build_features(generated.head(400))
    model = synthetic_model(0)
    spark = splink_model.local_spark(cores=1)
    try:
        on_spark = splink_model.predict(features, model, backend="spark", spark_session=spark)
    finally:
        spark.stop()
    on_duckdb = splink_model.predict(features, model)
    key = ["unique_id_l", "unique_id_r"]
    both = on_duckdb.merge(on_spark, on=key, suffixes=("_duck", "_spark"))
    # the engines' string-similarity functions differ slightly at the edges (Jaro-Winkler on a few pairs)
    assert len(on_duckdb) > 0 and len(both) >= 0.9 * max(len(on_duckdb), len(on_spark))
    close = (both["match_probability_duck"] - both["match_probability_spark"]).abs() < 0.01
    assert close.mean() >= 0.85
