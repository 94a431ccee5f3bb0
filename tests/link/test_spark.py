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
    """The same candidate pairs, and every comparison level chosen alike: the model's SQL names columns without
    quotes (Spark reads "x" as a string) and measures string similarity on the ASCII spelling of names (DuckDB
    counts UTF-8 bytes, Spark characters)."""
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
        on_spark = splink_model.predict(features, model, backend="spark", spark_session=spark, floor=0.0)
    finally:
        spark.stop()
    on_duckdb = splink_model.predict(features, model, floor=0.0)  # every candidate pair
    key = ["unique_id_l", "unique_id_r"]
    both = on_duckdb.merge(on_spark, on=key, how="outer", suffixes=("_duck", "_spark"), indicator=True)
    assert len(on_duckdb) >= 20 and (both["_merge"] == "both").all()
    for column in [c for c in on_duckdb.columns if c.startswith("mw_")] + ["match_weight"]:
        assert (both[f"{column}_duck"] - both[f"{column}_spark"]).abs().max() < 1e-9, column
