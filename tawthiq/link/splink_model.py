"""The probabilistic linkage model, on Splink (DuckDB by default, Spark for users who outgrow one machine).

Comparisons (each level's m/u probabilities are learnt, so every pair score can be explained level by level):

* ``given``, ``father``, ``family`` names: same normalised spelling; same cross-script key in different scripts
  (محمد / Mohammed); same key in one script (a spelling the rules did not fold); a typo — in one script the
  normalised spellings one edit apart or Jaro-Winkler ≥ 0.88, across scripts keys one edit apart that begin alike
  and have four letters or more, or differ by a sound-alike consonant (:data:`ONE_EDIT_SQL`); for the family name,
  the other record's father's name (a father's name read as the family name); anything else. Term-frequency adjusted
  on the key, so agreeing on ``mhmd`` counts for less than agreeing on a rare name.
* mother's name: same key, else (missing on most records: then no evidence).
* date of death: same day, ≤ 1 day, ≤ 3 days (these three term-frequency adjusted: agreeing on the day of a
  massacre counts for less), ≤ 30 days, else.
* place of death through the hierarchy: same village, same district (a village written as its district), same
  governorate, else.
* sex; age (±1 year, ±3 years, same child/adult group, else); list (same, different).

Blocking: the union of the rules in :data:`BLOCKING_KEYS` (and :data:`BROAD_BLOCKING_KEYS` on sets of up to
:data:`BROAD_BLOCKING_MAX_RECORDS` records), each restricted to :data:`ADMISSIBLE` pairs; ``bench_linkage --blocking``
measures the share of true pairs they keep on the generated benchmark data.

A :class:`Profile` bundles the comparisons, blocking and training plan of one kind of list: :data:`VICTIMS` here,
``tawthiq.link.register.REGISTER`` for Febrl-style registers of the living.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from tawthiq.errors import LinkageError
from tawthiq.link.conflicts import MAX_DAYS_APART, MAX_YEARS_APART, Conflicts
from tawthiq.link.features import build_features

Backend = Literal["duckdb", "spark"]
NAME_PARTS = ("given", "father", "family")
#: Assumed share of true pairs that agree on all three name keys and the exact date of death (a father's name is
#: missing on about a third of records and a date is a day or more off on a quarter, so most true pairs do not).
PRIOR_RULE_RECALL = 0.35
#: DuckDB spills to disk beyond this, so that a million records link within 8 GiB (docs/linkage.md).
DUCKDB_MEMORY_LIMIT = "3GB"
PREDICT_FLOOR = 0.05  # pairs below this probability are not kept (run.link_records lowers it to its thresholds)


def _splink() -> Any:
    import splink

    return splink


#: Across scripts, keys one edit apart are one name misspelt only when they begin alike and have four letters or more
#: (``hmd``/``mhmd``/``hmz`` are Ahmad, Muhammad and Hamza); in one script the normalised spellings are compared.
#: Keys that differ only by a sound-alike consonant (``conflicts.SOUND_ALIKE``: ذ as z, ث as s, a final d as t)
#: count here too.
ONE_EDIT_SQL = (
    '(substr("{key}_l", 1, 1) = substr("{key}_r", 1, 1) AND greatest(length("{key}_l"), length("{key}_r")) >= 4) OR '
    "translate(\"{key}_l\", 'tz', 'dd') = translate(\"{key}_r\", 'tz', 'dd') OR "
    "translate(\"{key}_l\", 's', 't') = translate(\"{key}_r\", 's', 't')"
)
#: The name written in the field of the other record's other part (a father's name read as the family name on a
#: record without one).
CROSS_PART = {"family": "father"}


def name_comparison(part: str) -> Any:
    """Comparison levels for one name part (see the module docstring)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    norm, key = f"{part}_norm", f"{part}_key"
    levels = [
        cll.NullLevel(key),
        cll.ExactMatchLevel(norm).configure(label_for_charts="same spelling", tf_adjustment_column=key),
        cll.And(cll.ExactMatchLevel(key), cll.CustomLevel('"script_l" <> "script_r"')).configure(
            label_for_charts="same key across scripts", tf_adjustment_column=key
        ),
        cll.ExactMatchLevel(key).configure(label_for_charts="same key, other spelling", tf_adjustment_column=key),
        cll.Or(
            cll.And(
                cll.CustomLevel('"script_l" = "script_r"'),
                cll.Or(cll.DamerauLevenshteinLevel(norm, 1), cll.JaroWinklerLevel(norm, 0.88)),
            ),
            cll.And(
                cll.CustomLevel('"script_l" <> "script_r"'),
                cll.DamerauLevenshteinLevel(key, 1),
                cll.CustomLevel(ONE_EDIT_SQL.format(key=key)),
            ),
        ).configure(label_for_charts="one edit apart"),
    ]
    other = CROSS_PART.get(part)
    if other:
        levels.append(
            cll.CustomLevel(f'"{key}_l" = "{other}_key_r" OR "{other}_key_l" = "{key}_r"').configure(
                label_for_charts=f"written as the other's {other} name"
            )
        )
    return cl.CustomComparison(output_column_name=part, comparison_levels=[*levels, cll.ElseLevel()])


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


def date_comparison() -> Any:
    """Date of death: same day › ≤ 1 › ≤ 3 › ≤ 30 days › else, term-frequency adjusted: agreeing on the day of a
    massacre, when hundreds died, counts for less than agreeing on a quiet day."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    days = 'abs("dod_day_l" - "dod_day_r")'
    return cl.CustomComparison(
        output_column_name="dod",
        comparison_levels=[
            cll.NullLevel("dod_day"),
            cll.ExactMatchLevel("dod").configure(label_for_charts="same day", tf_adjustment_column="dod"),
            *(cll.CustomLevel(f"{days} <= {n}").configure(label_for_charts=f"within {n} days") for n in (1, 3)),
            cll.CustomLevel(f"{days} <= {MAX_DAYS_APART}").configure(label_for_charts=f"within {MAX_DAYS_APART} days"),
            cll.ElseLevel(),
        ],
    )


def mother_comparison() -> Any:
    """Mother's name, where both records give it: same key › else (often missing: never evidence)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="mother",
        comparison_levels=[
            cll.NullLevel("mother_key"),
            cll.ExactMatchLevel("mother_key").configure(label_for_charts="same key"),
            cll.ElseLevel(),
        ],
    )


def comparisons() -> list[Any]:
    import splink.comparison_library as cl

    return [
        *(name_comparison(p) for p in NAME_PARTS),
        mother_comparison(),
        date_comparison(),
        place_comparison(),
        cl.ExactMatch("sex"),
        age_comparison(),
        list_comparison(),
    ]


#: Blocking: a pair is scored when it agrees on every column of one of these groups *and* is admissible
#: (:data:`ADMISSIBLE`). ``dod_week`` and ``dod_week_shifted`` are week numbers offset by three days, so two dates up to
#: three days apart share at least one; ``second_key`` is the father's key, else the family key. Every group holds two
#: name keys and a week, a district or an age, or a name key, a week and a district: the candidate pairs stay about
#: five per record at 300,000 records (1.4 million, 95.0 % of the true pairs on the generated lists; docs/linkage.md).
BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("given_key", "family_key", "dod_week"),
    ("given_key", "family_key", "dod_week_shifted"),
    ("given_key", "father_key", "dod_week"),
    ("given_key", "father_key", "dod_week_shifted"),
    ("father_key", "family_key", "dod_week"),
    ("father_key", "family_key", "dod_week_shifted"),
    ("given_key", "father_key", "family_key"),
    ("given_key", "family_key", "district_key"),
    ("given_key", "family_key", "age"),
    ("given_key", "dod_week", "district_key"),
    ("given_key", "dod_week_shifted", "district_key"),
    ("family_key", "dod_week", "district_key"),
)
#: Broader groups, added on sets of up to :data:`BROAD_BLOCKING_MAX_RECORDS` records: a name key and the governorate,
#: the village, two name keys alone, a name key and a week. They lift the share of true pairs kept to 99 % on the
#: generated lists, but their candidate pairs grow with the square of the records (6.1 million at 300,000 records
#: for a part of them, 12.7 million at 200,000 for all; docs/linkage.md).
BROAD_BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("given_key", "second_key", "district_key"),
    ("village_key", "dod_week", "sex"),
    ("village_key", "dod_week_shifted", "sex"),
    ("given_key", "village_key"),
    ("given_key", "dod_week", "gov_key"),
    ("given_key", "dod_week_shifted", "gov_key"),
    ("family_key", "dod_week", "gov_key"),
    ("family_key", "dod_week_shifted", "gov_key"),
    ("given_key", "family_key", "gov_key"),
    ("father_key", "family_key", "gov_key"),
    ("given_key", "second_key", "gov_key"),
    ("given_key", "family_key"),
    ("given_key", "father_key"),
    ("father_key", "family_key"),
    ("given_key", "dod_week"),
    ("given_key", "dod_week_shifted"),
    ("family_key", "dod_week"),
    ("family_key", "dod_week_shifted"),
    ("father_key", "dod_week"),
    ("father_key", "dod_week_shifted"),
    ("given_key", "gov_key", "age"),
    ("family_key", "district_key", "sex"),
    ("given_key", "district_key"),
)
BROAD_BLOCKING_MAX_RECORDS = 250_000
#: Only pairs that clustering could ever join are scored: those with no contrary evidence on sex, date of death
#: (more than ``conflicts.MAX_DAYS_APART`` days apart) or age (more than ``conflicts.MAX_YEARS_APART`` years apart).
#: A missing value is never evidence. This keeps the candidate pairs near-linear in the records (docs/linkage.md).
ADMISSIBLE = (
    f"(l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex) AND "
    f"(l.dod_day IS NULL OR r.dod_day IS NULL OR abs(l.dod_day - r.dod_day) <= {MAX_DAYS_APART}) AND "
    f"(l.age IS NULL OR r.age IS NULL OR abs(l.age - r.age) <= {MAX_YEARS_APART})"
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What a kind of list is compared on: its comparisons, blocking and training plan.

    ``prior_rule`` and ``prior_recall``: the match prior is estimated from the pairs that agree on every column of the
    rule, assumed to be that share of the true pairs. ``em_sessions``: one EM session each, on the first blocking of
    its alternatives that yields pairs (every comparison must be estimated in at least one session). ``features``
    builds the compared columns from the records (and an optional place index); ``conflicts`` reads from them the
    contrary evidence that clustering honours.
    """

    name: str
    features: Callable[[pd.DataFrame, Any], pd.DataFrame]
    conflicts: Callable[[pd.DataFrame], Conflicts]
    comparisons: Callable[[], list[Any]]
    blocking_keys: tuple[tuple[str, ...], ...]
    prior_rule: tuple[str, ...]
    prior_recall: float
    em_sessions: tuple[tuple[tuple[str, ...], ...], ...]
    blocking_filter: str = ""
    broad_blocking_keys: tuple[tuple[str, ...], ...] = ()
    broad_max_records: int = 0

    def blocking_keys_for(self, n_records: int | None) -> tuple[tuple[str, ...], ...]:
        """The blocking groups used on ``n_records`` records (the broad ones only on sets small enough)."""
        if n_records is not None and n_records <= self.broad_max_records:
            return self.blocking_keys + self.broad_blocking_keys
        return self.blocking_keys


#: Victim lists (the default): the comparisons and blocking above.
VICTIMS = Profile(
    name="victims",
    features=build_features,
    conflicts=Conflicts.from_features,
    comparisons=comparisons,
    blocking_keys=BLOCKING_KEYS,
    prior_rule=("given_key", "father_key", "family_key", "dod"),
    prior_recall=PRIOR_RULE_RECALL,
    em_sessions=((("given_key", "family_key"),), (("dod", "age"), ("dod", "district_key"), ("dod",))),
    blocking_filter=ADMISSIBLE,
    broad_blocking_keys=BROAD_BLOCKING_KEYS,
    broad_max_records=BROAD_BLOCKING_MAX_RECORDS,
)


def blocking_rules(profile: Profile = VICTIMS, n_records: int | None = None) -> list[Any]:
    """Candidate pairs: any pair that agrees on one of the profile's blocking keys (and passes its filter) is scored."""
    from splink.blocking_rule_library import And, CustomRule

    block_on = _splink().block_on
    keys = profile.blocking_keys_for(n_records)
    if not profile.blocking_filter:
        return [block_on(*columns) for columns in keys]
    return [And(block_on(*columns), CustomRule(profile.blocking_filter)) for columns in keys]


def settings(probability_two_random_records_match: float = 1e-5, profile: Profile = VICTIMS,
             n_records: int | None = None) -> Any:  # fmt: skip
    return _splink().SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=profile.comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(profile, n_records),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
    )


def db_api(backend: Backend = "duckdb", spark_session: Any = None) -> Any:
    """The Splink database API for ``backend``; Spark needs a session (see :func:`local_spark`)."""
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT})
        return DuckDBAPI(connection=connection)
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

        ints = {"unique_id", "age", "dod_week", "dod_week_shifted", "dod_day"}
        schema = T.StructType(
            [T.StructField(c, T.LongType() if c in ints else T.StringType(), True) for c in features.columns]
        )
        plain = features.astype(object).where(features.notna(), None)
        rows = [tuple(None if v is None else (int(v) if c in ints else str(v)) for c, v in zip(plain.columns, r,
                strict=True)) for r in plain.itertuples(index=False)]  # fmt: skip
        return api.register(api.spark.createDataFrame(rows, schema))
    return api.register(features)


def train(features: pd.DataFrame, *, seed: int = 0, backend: Backend = "duckdb", spark_session: Any = None,
          sample: int = 150_000, profile: Profile = VICTIMS) -> dict[str, Any]:  # fmt: skip
    """Learn the model's m and u probabilities on (a sample of) the records; return the model as a dict.

    u from random pairs; m by expectation maximisation in two sessions (blocked on given and family name, then on
    date of death and age — not on place, where brothers killed together would pass for one person),
    so that every comparison is estimated in one of them; the prior from exact full-name-and-date agreement.
    """
    from splink.internals.exceptions import EMTrainingException

    splink = _splink()
    frame = features.sample(n=sample, random_state=seed) if len(features) > sample else features
    api = db_api(backend, spark_session)
    linker = splink.Linker(_register(api, frame), settings(profile=profile), log_level=logging.WARNING)
    rule = splink.block_on(*profile.prior_rule)
    try:
        linker.training.estimate_probability_two_random_records_match([rule], recall=profile.prior_recall)
    except ValueError as e:
        raise LinkageError(f"cannot estimate the match prior on {len(frame)} records ({e})") from e
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for alternatives in profile.em_sessions:
        for columns in alternatives:  # the first that yields pairs
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    splink.block_on(*columns), estimate_without_term_frequencies=True
                )
                break
            except EMTrainingException:
                continue
    return linker.misc.save_model_to_json()


def model_for_dialect(model: dict[str, Any], dialect: str, profile: Profile = VICTIMS,
                      n_records: int | None = None) -> dict[str, Any]:  # fmt: skip
    """The trained model rebuilt for ``dialect`` and ``n_records`` records (train on DuckDB, score on Spark; the
    blocking rules depend on the number of records): the settings are made afresh for that SQL dialect from
    :func:`settings`, and the learnt probabilities are copied over level by level."""
    prior = model["probability_two_random_records_match"]
    out = settings(prior, profile, n_records).create_settings_dict(dialect)
    for new, old in zip(out["comparisons"], model["comparisons"], strict=True):
        for new_level, old_level in zip(new["comparison_levels"], old["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in old_level:
                    new_level[key] = old_level[key]
    out["sql_dialect"] = dialect
    return out


def predict(features: pd.DataFrame, model: dict[str, Any], *, backend: Backend = "duckdb", spark_session: Any = None,
            floor: float = PREDICT_FLOOR, profile: Profile = VICTIMS,
            term_frequencies: bool = True) -> pd.DataFrame:  # fmt: skip
    """Score every candidate pair; return those with match probability ≥ ``floor``.

    ``term_frequencies=False`` scores without term-frequency adjustments: on a handful of records the frequencies of
    names and dates are noise (a date shared by three of seven records is not a massacre day).

    Columns: ``unique_id_l``, ``unique_id_r``, ``match_weight``, ``match_probability`` and ``mw_<comparison>`` (the
    match weight each comparison contributed: the explanation of the score, kept with every merge in the store).
    """
    splink = _splink()
    api = db_api(backend, spark_session)
    dialect = api.sql_dialect.sql_dialect_str
    scoring = model_for_dialect(model, dialect, profile, len(features))
    if not term_frequencies:
        for comparison in scoring["comparisons"]:
            for level in comparison["comparison_levels"]:
                level.pop("tf_adjustment_column", None)
    linker = splink.Linker(_register(api, features), scoring, log_level=logging.WARNING)
    pairs = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    table = pairs.as_pandas_dataframe()
    keep = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    keep += [c for c in table.columns if c.startswith("mw_") and not c.startswith("mw_tf_adj")]
    return table[keep]
