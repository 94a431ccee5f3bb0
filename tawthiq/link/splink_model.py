"""The probabilistic linkage model, on Splink (DuckDB by default, Spark for users who outgrow one machine).

Comparisons (each level's m/u probabilities are learnt, so every pair score can be explained level by level):

* ``given``, ``father``, ``family`` names: same normalised spelling; same cross-script key in different scripts
  (محمد / Mohammed); same key in one script (a spelling the rules did not fold); keys one edit apart or the normalised
  spellings Jaro-Winkler ≥ 0.88 (a typo); anything else. Term-frequency adjusted on the key, so agreeing on ``mhmd``
  counts for less than agreeing on a rare name.
* date of death: same day, ≤ 1 day, ≤ 3 days, ≤ 30 days, else.
* place of death through the hierarchy: same village, same district (a village written as its district), same
  governorate, else.
* sex; age (±1 year, ±3 years, same child/adult group, else).

Blocking: the union of the rules in :data:`BLOCKING_KEYS`; ``bench_linkage`` measures that they keep ≥ 99 % of the
true pairs on the generated benchmark data.
"""

from __future__ import annotations

import logging
import tempfile
from typing import Any, Literal

import pandas as pd

from tawthiq.errors import LinkageError

Backend = Literal["duckdb", "spark"]
NAME_PARTS = ("given", "father", "family")
#: Assumed share of true pairs that agree on all three name keys and the exact date of death (a father's name is
#: missing on about a third of records and a date is a day or more off on a quarter, so most true pairs do not).
PRIOR_RULE_RECALL = 0.35
PREDICT_FLOOR = 0.05  # pairs below this probability are not kept (run.link_records lowers it to its thresholds)


def _splink() -> Any:
    import splink

    return splink


def name_comparison(part: str) -> Any:
    """Comparison levels for one name part (see the module docstring)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    norm, key = f"{part}_norm", f"{part}_key"
    return cl.CustomComparison(
        output_column_name=part,
        comparison_levels=[
            cll.NullLevel(key),
            cll.ExactMatchLevel(norm).configure(label_for_charts="same spelling", tf_adjustment_column=key),
            cll.And(cll.ExactMatchLevel(key), cll.CustomLevel('"script_l" <> "script_r"')).configure(
                label_for_charts="same key across scripts", tf_adjustment_column=key
            ),
            cll.ExactMatchLevel(key).configure(label_for_charts="same key, other spelling", tf_adjustment_column=key),
            cll.Or(cll.DamerauLevenshteinLevel(key, 1), cll.JaroWinklerLevel(norm, 0.88)).configure(
                label_for_charts="one edit apart"
            ),
            cll.ElseLevel(),
        ],
    )


def place_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    null = (
        '("village_key_l" IS NULL AND "district_key_l" IS NULL AND "gov_key_l" IS NULL) OR '
        '("village_key_r" IS NULL AND "district_key_r" IS NULL AND "gov_key_r" IS NULL)'
    )
    return cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.CustomLevel(null).configure(is_null_level=True, label_for_charts="place missing"),
            cll.ExactMatchLevel("village_key").configure(label_for_charts="same village"),
            cll.ExactMatchLevel("district_key").configure(label_for_charts="same district"),
            cll.ExactMatchLevel("gov_key").configure(label_for_charts="same governorate"),
            cll.ElseLevel(),
        ],
    )


def age_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="age",
        comparison_levels=[
            cll.CustomLevel(
                '("age_l" IS NULL AND "age_group_l" IS NULL) OR ("age_r" IS NULL AND "age_group_r" IS NULL)'
            ).configure(is_null_level=True, label_for_charts="age missing"),
            cll.AbsoluteDifferenceLevel("age", 1).configure(label_for_charts="age within 1 year"),
            cll.AbsoluteDifferenceLevel("age", 3).configure(label_for_charts="age within 3 years"),
            cll.ExactMatchLevel("age_group").configure(label_for_charts="same age group"),
            cll.ElseLevel(),
        ],
    )


def list_comparison() -> Any:
    """Same list or not: a list rarely holds one person twice, so two records of one list are probably two people."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="list",
        comparison_levels=[
            cll.NullLevel("list_name"),
            cll.ExactMatchLevel("list_name").configure(label_for_charts="same list"),
            cll.ElseLevel().configure(label_for_charts="different lists"),
        ],
    )


def comparisons() -> list[Any]:
    import splink.comparison_library as cl

    return [
        *(name_comparison(p) for p in NAME_PARTS),
        cl.AbsoluteDateDifferenceAtThresholds(
            "dod", input_is_string=True, metrics=["day", "day", "day"], thresholds=[1, 3, 30]
        ),
        place_comparison(),
        cl.ExactMatch("sex"),
        age_comparison(),
        list_comparison(),
    ]


#: Blocking: a pair is scored when it agrees on every column of one of these groups. ``dod_week`` and
#: ``dod_week_shifted`` are week numbers offset by three days, so two dates up to three days apart share at least one.
BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("given_key", "family_key"),
    ("given_key", "father_key"),
    ("father_key", "family_key"),
    ("given_key", "dod_week"),
    ("given_key", "dod_week_shifted"),
    ("family_key", "dod_week"),
    ("family_key", "dod_week_shifted"),
    ("father_key", "dod_week"),
    ("father_key", "dod_week_shifted"),
    ("village_key", "dod_week", "sex"),
    ("village_key", "dod_week_shifted", "sex"),
    ("given_key", "gov_key", "age"),
    ("family_key", "district_key", "sex"),
)


def blocking_rules() -> list[Any]:
    """Candidate pairs: any pair that agrees on one of :data:`BLOCKING_KEYS` is scored."""
    block_on = _splink().block_on
    return [block_on(*columns) for columns in BLOCKING_KEYS]


def settings(probability_two_random_records_match: float = 1e-5) -> Any:
    return _splink().SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
    )


def db_api(backend: Backend = "duckdb", spark_session: Any = None) -> Any:
    """The Splink database API for ``backend``; Spark needs a session (see :func:`local_spark`)."""
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        from splink.backends.spark import SparkAPI

        return SparkAPI(spark_session=spark_session or local_spark())
    raise LinkageError(f"unknown linkage backend {backend!r}", hint="use duckdb or spark")


def local_spark(cores: int = 2) -> Any:
    """A local Spark session with Splink's similarity functions registered (needs Java and pyspark)."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as e:
        raise LinkageError("the Spark backend needs pyspark", hint="pip install pyspark==4.0.1") from e
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("tawthiq-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(cores * 4))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="tawthiq-spark-"))
    return session


def _register(api: Any, features: pd.DataFrame) -> Any:
    """Register the features with the backend; Spark gets a Spark DataFrame built here (nulls as None)."""
    if type(api).__name__ == "SparkAPI":
        from pyspark.sql import types as T

        ints = {"unique_id", "age", "dod_week", "dod_week_shifted"}
        schema = T.StructType(
            [T.StructField(c, T.LongType() if c in ints else T.StringType(), True) for c in features.columns]
        )
        plain = features.astype(object).where(features.notna(), None)
        rows = [tuple(None if v is None else (int(v) if c in ints else str(v)) for c, v in zip(plain.columns, r,
                strict=True)) for r in plain.itertuples(index=False)]  # fmt: skip
        return api.register(api.spark.createDataFrame(rows, schema))
    return api.register(features)


def train(features: pd.DataFrame, *, seed: int = 0, backend: Backend = "duckdb", spark_session: Any = None,
          sample: int = 150_000) -> dict[str, Any]:  # fmt: skip
    """Learn the model's m and u probabilities on (a sample of) the records; return the model as a dict.

    u from random pairs; m by expectation maximisation in two sessions (blocked on given and family name, then on
    date of death and age — not on place, where brothers killed together would pass for one person),
    so that every comparison is estimated in one of them; the prior from exact full-name-and-date agreement.
    """
    from splink.internals.exceptions import EMTrainingException

    splink = _splink()
    frame = features.sample(n=sample, random_state=seed) if len(features) > sample else features
    api = db_api(backend, spark_session)
    linker = splink.Linker(_register(api, frame), settings(), log_level=logging.WARNING)
    rule = splink.block_on("given_key", "father_key", "family_key", "dod")
    try:
        linker.training.estimate_probability_two_random_records_match([rule], recall=PRIOR_RULE_RECALL)
    except ValueError as e:
        raise LinkageError(f"cannot estimate the match prior on {len(frame)} records ({e})") from e
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        splink.block_on("given_key", "family_key"), estimate_without_term_frequencies=True
    )
    for columns in (("dod", "age"), ("dod", "district_key"), ("dod",)):  # the first that yields pairs
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                splink.block_on(*columns), estimate_without_term_frequencies=True
            )
            break
        except EMTrainingException:
            continue
    return linker.misc.save_model_to_json()


def model_for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The trained model rebuilt for ``dialect`` (train on DuckDB, score on Spark): the settings are made afresh for
    that SQL dialect from :func:`settings`, and the learnt probabilities are copied over level by level."""
    if model.get("sql_dialect", "duckdb") == dialect:
        return model
    out = settings(model["probability_two_random_records_match"]).create_settings_dict(dialect)
    for new, old in zip(out["comparisons"], model["comparisons"], strict=True):
        for new_level, old_level in zip(new["comparison_levels"], old["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in old_level:
                    new_level[key] = old_level[key]
    out["sql_dialect"] = dialect
    return out


def predict(features: pd.DataFrame, model: dict[str, Any], *, backend: Backend = "duckdb",
            spark_session: Any = None, floor: float = PREDICT_FLOOR) -> pd.DataFrame:  # fmt: skip
    """Score every candidate pair; return those with match probability ≥ ``floor``.

    Columns: ``unique_id_l``, ``unique_id_r``, ``match_weight``, ``match_probability`` and ``mw_<comparison>`` (the
    match weight each comparison contributed: the explanation of the score, kept with every merge in the store).
    """
    splink = _splink()
    api = db_api(backend, spark_session)
    dialect = api.sql_dialect.sql_dialect_str
    linker = splink.Linker(_register(api, features), model_for_dialect(model, dialect), log_level=logging.WARNING)
    pairs = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    table = pairs.as_pandas_dataframe()
    keep = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    keep += [c for c in table.columns if c.startswith("mw_") and not c.startswith("mw_tf_adj")]
    return table[keep]
