"""The probabilistic linkage model, on Splink (DuckDB by default, Spark for users who outgrow one machine).

Comparisons (each level's m/u probabilities are learnt, so every pair score can be explained level by level):

* ``given``, ``father``, ``family`` names: same normalised spelling; same cross-script key in different scripts
  (محمد / Mohammed); same key in one script (a spelling the rules did not fold); a typo — in one script the
  normalised spellings (or their sound-alike folds, ``Mundhir``/``Munzer``) one edit apart or Jaro-Winkler ≥ 0.88,
  across scripts keys one edit apart that begin alike and have four letters or more, or differ by a sound-alike
  consonant (:data:`ONE_EDIT_SQL`); for the family name,
  the other record's father's name (a father's name read as the family name); anything else. Term-frequency adjusted
  on the key, so agreeing on ``mhmd`` counts for less than agreeing on a rare name.
* mother's name: same key, else (missing on most records: then no evidence).
* date of death: same day, ≤ 1 day, ≤ 3 days (these three term-frequency adjusted: agreeing on the day of a
  massacre counts for less), ≤ 30 days, else.
* place of death through the hierarchy: same village, same district (a village written as its district), same
  governorate, else.
* sex; age (±1 year, ±3 years, same child/adult group, else); list (same, different).

Blocking: the union of the rules in :data:`BLOCKING_KEYS` (one set at every size), each restricted to
:data:`ADMISSIBLE` pairs whose given names are not in conflict (:data:`GIVEN_COMPATIBLE`); ``bench_linkage
--blocking`` measures the share of true pairs they keep on the generated benchmark data.

A :class:`Profile` bundles the comparisons, blocking and training plan of one kind of list: :data:`VICTIMS` here,
``tawthiq.link.register.REGISTER`` for Febrl-style registers of the living.
"""

from __future__ import annotations

import logging
import re
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


#: Keys equal once a sound-alike consonant is folded (``conflicts.SOUND_ALIKE``: ذ as z, ث as s, a final d as t, ق
#: as g) are one name across scripts.
SOUND_ALIKE_SQL = (
    "translate({l}, 'tz', 'dd') = translate({r}, 'tz', 'dd') OR translate({l}, 's', 't') = translate({r}, 's', 't') "
    "OR translate({l}, 'g', 'k') = translate({r}, 'g', 'k')"
)
#: Across scripts, keys one edit apart are one name misspelt only when they begin alike and have four letters or more
#: (``hmd``/``mhmd``/``hmz`` are Ahmad, Muhammad and Hamza); in one script the normalised spellings are compared.
#: Keys that differ only by a sound-alike consonant (:data:`SOUND_ALIKE_SQL`) count here too.
ONE_EDIT_SQL = (
    '(substr({key}_l, 1, 1) = substr({key}_r, 1, 1) AND greatest(length({key}_l), length({key}_r)) >= 4) OR '
    + SOUND_ALIKE_SQL.format(l='{key}_l', r='{key}_r')
)
#: Across scripts, a given name spelt as is rare among the records (``features.common_given``: 0) one edit off the
#: other's key is a typo whatever the key's length or first letter (``احد``/``Ahmad``), unless both are common (1). In a
#: set too small to call a spelling rare (−1) the rule stays as strict as without the column.
RARE_SQL = " OR (given_common_l >= 0 AND given_common_r >= 0 AND given_common_l + given_common_r < 2)"
#: The name written in the field of the other record's other part (a father's name read as the family name on a
#: record without one).
CROSS_PART = {"family": "father"}


def name_comparison(part: str) -> Any:
    """Comparison levels for one name part (see the module docstring).

    Spellings are compared as ``<part>_ascii`` (:func:`names.ascii_spelling`): one character per letter, so that
    DuckDB (which measures on UTF-8 bytes) and Spark (on characters) find the same edit distances.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    spelling, key, sound = f"{part}_ascii", f"{part}_key", f"{part}_sound"
    levels = [
        cll.NullLevel(key),
        cll.ExactMatchLevel(spelling).configure(label_for_charts="same spelling", tf_adjustment_column=key),
        cll.And(cll.ExactMatchLevel(key), cll.CustomLevel('script_l <> script_r')).configure(
            label_for_charts="same key across scripts", tf_adjustment_column=key
        ),
        cll.ExactMatchLevel(key).configure(label_for_charts="same key, other spelling", tf_adjustment_column=key),
        cll.Or(
            cll.And(
                cll.CustomLevel('script_l = script_r'),
                cll.Or(
                    cll.DamerauLevenshteinLevel(spelling, 1), cll.JaroWinklerLevel(spelling, 0.88),
                    cll.DamerauLevenshteinLevel(sound, 1), cll.JaroWinklerLevel(sound, 0.88),
                ),
            ),
            cll.And(
                cll.CustomLevel('script_l <> script_r'),
                cll.DamerauLevenshteinLevel(key, 1),
                cll.CustomLevel(ONE_EDIT_SQL.format(key=key) + (RARE_SQL if part == "given" else "")),
            ),
        ).configure(label_for_charts="one edit apart"),
    ]
    other = CROSS_PART.get(part)
    if other:
        levels.append(
            cll.CustomLevel(f'{key}_l = {other}_key_r OR {other}_key_l = {key}_r').configure(
                label_for_charts=f"written as the other's {other} name"
            )
        )
    return cl.CustomComparison(output_column_name=part, comparison_levels=[*levels, cll.ElseLevel()])


def place_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    null = (
        '(village_key_l IS NULL AND district_key_l IS NULL AND gov_key_l IS NULL) OR '
        '(village_key_r IS NULL AND district_key_r IS NULL AND gov_key_r IS NULL)'
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
                '(age_l IS NULL AND age_group_l IS NULL) OR (age_r IS NULL AND age_group_r IS NULL)'
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

    days = 'abs(dod_day_l - dod_day_r)'
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


@dataclass(frozen=True, slots=True)
class Block:
    """One blocking rule: a pair is a candidate when it agrees on every column of ``columns`` (and passes the
    profile's filter). With ``missing``, only pairs in which a record lacks one of those columns: the rule stands in
    for a finer one that a missing value keeps the pair out of (no date of death, so no week to agree on), and costs
    candidates only for the records that lack it. With ``max_block``, only within groups of at most that many
    records: a broad rule (two name keys alone) that finds the pairs the others miss where its groups are small (rare
    names, small sets) and costs at most ``max_block`` candidates a record where they are not."""

    columns: tuple[str, ...]
    missing: tuple[str, ...] = ()
    max_block: int | None = None

    def select_sql(self, side: str, extra: str) -> str:
        """SQL for this block's pairs ``(unique_id_l, unique_id_r)`` on the table ``side``, ``extra`` (``AND ...``)
        added to the join. With ``missing`` the record that lacks the value is joined to all the others (the left
        side of the join holds only the records without it, so the join costs only what they pair with)."""
        agree = " AND ".join(f"l.{c} = r.{c}" for c in self.columns)
        if not self.missing:
            return (f"SELECT l.unique_id AS unique_id_l, r.unique_id AS unique_id_r FROM {side} l JOIN {side} r "
                    f"ON {agree} AND l.unique_id < r.unique_id{extra}")  # fmt: skip
        lacks = " OR ".join(f"l.{c} IS NULL" for c in self.missing)
        return (f"SELECT least(l.unique_id, r.unique_id) AS unique_id_l, greatest(l.unique_id, r.unique_id) AS "
                f"unique_id_r FROM {side} l JOIN {side} r ON {agree} AND ({lacks}) AND l.unique_id <> r.unique_id"
                f"{extra}")  # fmt: skip


BlockSpec = tuple[str, ...] | Block


def as_block(spec: BlockSpec) -> Block:
    return spec if isinstance(spec, Block) else Block(tuple(spec))


_W, _S = "dod_week", "dod_week_shifted"
#: The broad rules (two columns) pair records only within groups of at most this many: every pair of a rare name,
#: and of any name on a small set, is a candidate; a common name on a large set costs nothing (docs/linkage.md).
BROAD_MAX_BLOCK = 50
#: Blocking of victim lists: one set of rules at every size. ``dod_week`` and ``dod_week_shifted`` are week numbers
#: offset by three days, so two dates up to three days apart share at least one; ``second_key`` is the father's key,
#: else the family key. The rules with ``missing`` stand in for a date of death or a district that one record lacks;
#: those with ``max_block`` are broad rules kept to small groups. Chosen on the generated lists (seed 7, 300,000
#: records) by true pairs gained per candidate added, then cut where a rule's join was large for what it added:
#: 3.15 million candidates and 98.2 % of the true pairs at 300,000 records, against 1.44 million and 95.0 % for the
#: rules before (docs/linkage.md, section 5). The last three core rules were added in the fourth session for pairs whose
#: given names differ (a typo, a nickname) or whose record lacks a family name: +12 % candidates and 97.85 % -> 98.15 %
#: of the true pairs at 1,000,000 records (98.57 % -> 98.74 % at 100,000). The four after them (the father's key with a
#: week and the governorate, the family key with the age and the governorate, the father's and family keys with the
#: governorate) were added in the fifth session for a given name mistyped or a district missing: +0.3 % candidates and
#: 98.89 % -> 98.96 % of the true pairs at 100,000 (docs/linkage.md, section 5).
BLOCKING_KEYS: tuple[BlockSpec, ...] = (
    ("given_key", "family_key", _W),
    ("given_key", "family_key", _S),
    ("given_key", "second_key", _W),
    ("given_key", "second_key", _S),
    ("given_key", "father_key", "family_key"),
    ("given_key", _W, "district_key"),
    ("given_key", _S, "district_key"),
    ("family_key", _W, "district_key"),
    ("family_key", "district_key", "age"),
    ("family_key", "father_key", "district_key"),
    ("father_key", _W, "gov_key"),
    ("father_key", _S, "gov_key"),
    ("family_key", "age", "gov_key"),
    ("father_key", "family_key", "gov_key"),
    Block(("given_key", "district_key"), missing=("family_key",)),
    Block(("given_key", _W, "gov_key"), missing=("district_key",)),
    Block(("given_key", "family_key", "gov_key"), missing=("dod_day",)),
    Block(("given_key", "second_key", "district_key"), missing=("dod_day",)),
    Block(("given_key", "family_key", "age"), missing=("dod_day",)),
    Block(("given_key", "district_key", "age"), missing=("dod_day",)),
    *(
        Block(columns, max_block=BROAD_MAX_BLOCK)
        for columns in (
            ("given_key", "family_key"), ("given_key", "father_key"), ("father_key", "family_key"), ("given_key", _W),
            ("given_key", _S), ("family_key", _S), ("given_key", "village_key"), ("given_key", "gov_key", "age"),
            ("family_key", "district_key", "sex"),
        )
    ),
)
#: Only pairs that clustering could ever join are scored: those with no contrary evidence on sex, date of death
#: (more than ``conflicts.MAX_DAYS_APART`` days apart) or age (more than ``conflicts.MAX_YEARS_APART`` years apart).
#: A missing value is never evidence. This keeps the candidate pairs near-linear in the records (docs/linkage.md).
ADMISSIBLE = (
    f"(l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex) AND "
    f"(l.dod_day IS NULL OR r.dod_day IS NULL OR abs(l.dod_day - r.dod_day) <= {MAX_DAYS_APART}) AND "
    f"(l.age IS NULL OR r.age IS NULL OR abs(l.age - r.age) <= {MAX_YEARS_APART})"
)


def _starts(a: str, b: str) -> str:
    """``a`` begins with ``b`` or ``b`` with ``a`` (portable SQL)."""
    return f"substr({a}, 1, length({b})) = {b} OR substr({b}, 1, length({a})) = {a}"


#: The given names are not in conflict (``conflicts.given_names_conflict``, rule for rule: the same spelling or key,
#: a shortened form, one edit or Jaro–Winkler ≥ 0.88 in one script, on the spelling or on its sound-alike fold
#: (``names.sound_spelling``), unless both are common Arabic spellings (``given_common``); across scripts keys one
#: edit apart that begin alike with four letters or more, or one name in sound-alike consonants). Clustering never
#: joins two records whose given names conflict, so scoring such a pair is wasted. ``{dl}``/``{jw}`` are the
#: dialect's function names.
GIVEN_COMPATIBLE = (
    "(l.given_key IS NULL OR r.given_key IS NULL OR l.given_ascii = r.given_ascii OR "
    "CASE WHEN l.script = r.script THEN "
    f"{_starts('l.given_ascii', 'r.given_ascii')} OR (NOT (l.given_common = 1 AND r.given_common = 1 AND "
    "l.script = 'ar') AND "
    "({dl}(l.given_ascii, r.given_ascii) <= 1 OR {jw}(l.given_ascii, r.given_ascii) >= 0.88 OR "
    "{dl}(l.given_sound, r.given_sound) <= 1 OR {jw}(l.given_sound, r.given_sound) >= 0.88)) "
    f"ELSE {_starts('l.given_key', 'r.given_key')} OR "
    + SOUND_ALIKE_SQL.format(l="l.given_key", r="r.given_key")
    + " OR ({dl}(l.given_key, r.given_key) <= 1 AND ((substr(l.given_key, 1, 1) = substr(r.given_key, 1, 1) AND "
    "greatest(length(l.given_key), length(r.given_key)) >= 4) OR (l.given_common >= 0 AND r.given_common >= 0 AND "
    "l.given_common + r.given_common < 2))) "
    "END)"
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What a kind of list is compared on: its comparisons, blocking and training plan.

    ``prior_rule`` and ``prior_recall``: the match prior is estimated from the pairs that agree on every column of the
    rule, assumed to be that share of the true pairs. ``em_sessions``: one EM session each, on the first blocking of
    its alternatives that yields pairs (every comparison must be estimated in at least one session). ``features``
    builds the compared columns from the records (and an optional place index); ``conflicts`` reads from them the
    contrary evidence that clustering honours. ``blocking_filter`` is tested in every blocking join (cheap tests);
    ``pair_filter`` once on each distinct candidate pair (string similarity, which would cost more in the joins,
    where a pair met by several rules is tested several times and the pairs are not yet cut by the first filter).
    Both may use ``{dl}`` and ``{jw}`` for the dialect's Damerau–Levenshtein and Jaro–Winkler functions.
    """

    name: str
    features: Callable[[pd.DataFrame, Any], pd.DataFrame]
    conflicts: Callable[[pd.DataFrame], Conflicts]
    comparisons: Callable[[], list[Any]]
    blocking_keys: tuple[BlockSpec, ...]
    prior_rule: tuple[str, ...]
    prior_recall: float
    em_sessions: tuple[tuple[tuple[str, ...], ...], ...]
    blocking_filter: str = ""
    pair_filter: str = ""

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(as_block(spec) for spec in self.blocking_keys)

    def filter_sql(self, dialect: Any = None) -> str:
        """Both filters in SQL on ``l`` and ``r`` for a Splink dialect (DuckDB's function names without one)."""
        return " AND ".join(f for f in (self._sql(self.blocking_filter, dialect), self._sql(self.pair_filter, dialect))
                            if f) or "TRUE"  # fmt: skip

    @staticmethod
    def _sql(template: str, dialect: Any) -> str:
        dl = dialect.damerau_levenshtein_function_name if dialect is not None else "damerau_levenshtein"
        jw = dialect.jaro_winkler_function_name if dialect is not None else "jaro_winkler_similarity"
        return template.format(dl=dl, jw=jw)

    def candidates_sql(self, table: str, dialect: Any = None) -> str:
        """SQL for the candidate pairs ``(unique_id_l, unique_id_r)`` of the profile's blocking on ``table``, each
        once (what ``predict`` scores, and what ``bench_linkage --blocking`` measures)."""
        extra = f" AND {self._sql(self.blocking_filter, dialect)}" if self.blocking_filter else ""
        groups, selects = [], []
        for i, block in enumerate(self.blocks):
            side = table
            if block.max_block is not None:
                side = f"capped_{i}"
                known = " AND ".join(f"{c} IS NOT NULL" for c in block.columns)
                size = f"count(*) OVER (PARTITION BY {', '.join(block.columns)})"
                groups.append(f"{side} AS (SELECT * FROM (SELECT *, {size} AS block_size FROM {table} WHERE {known}) "
                              f"sized WHERE block_size <= {block.max_block})")  # fmt: skip
            selects.append(block.select_sql(side, extra))
        union = " UNION ".join(selects)
        if not self.pair_filter:
            return (f"WITH {', '.join(groups)} " if groups else "") + union
        # the pair filter is worked out once for each distinct combination of the values it reads (a few hundred
        # thousand given-name pairs), not once for each of the millions of candidate pairs
        columns = sorted(set(re.findall(r"\b[lr]\.(\w+)", self.pair_filter)))
        sides = [f"{side}.{c} AS {side}_{c}" for c in columns for side in ("l", "r")]
        values = [f"{side}_{c}" for c in columns for side in ("l", "r")]
        allowed = re.sub(r"\b([lr])\.(\w+)", r"\1_\2", self._sql(self.pair_filter, dialect))
        groups += [
            f"candidates AS ({union})",
            f"named AS (SELECT c.unique_id_l, c.unique_id_r, {', '.join(sides)} FROM candidates c "
            f"JOIN {table} l ON l.unique_id = c.unique_id_l JOIN {table} r ON r.unique_id = c.unique_id_r)",
            f"combinations AS (SELECT {', '.join(values)}, count(*) AS pairs FROM named GROUP BY {', '.join(values)})",
            # "OR pairs < 0" (never true) reads the count, so that no optimiser pushes the filter below the grouping
            f"allowed AS (SELECT * FROM combinations WHERE ({allowed}) OR pairs < 0)",
        ]
        same = " AND ".join(f"named.{v} IS NOT DISTINCT FROM allowed.{v}" for v in values)
        return (f"WITH {', '.join(groups)} SELECT named.unique_id_l, named.unique_id_r FROM named "
                f"JOIN allowed ON {same}")  # fmt: skip


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
    pair_filter=GIVEN_COMPATIBLE,
)


def settings(probability_two_random_records_match: float = 1e-5, profile: Profile = VICTIMS) -> Any:
    return _splink().SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=profile.comparisons(),
        blocking_rules_to_generate_predictions=[],  # the candidate pairs are made by Profile.candidates_sql
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

        ints = {"unique_id", "age", "dod_week", "dod_week_shifted", "dod_day", "given_common"}
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


def model_for_dialect(model: dict[str, Any], dialect: str, profile: Profile = VICTIMS) -> dict[str, Any]:
    """The trained model rebuilt for ``dialect`` (train on DuckDB, score on Spark): the settings are made afresh for
    that SQL dialect from :func:`settings` (the blocking filter's functions are the dialect's), and the learnt
    probabilities are copied over level by level."""
    prior = model["probability_two_random_records_match"]
    out = settings(prior, profile).create_settings_dict(dialect)
    for new, old in zip(out["comparisons"], model["comparisons"], strict=True):
        for new_level, old_level in zip(new["comparison_levels"], old["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in old_level:
                    new_level[key] = old_level[key]
    out["sql_dialect"] = dialect
    return out


def _candidate_pairs(api: Any, records: Any, profile: Profile) -> Any:
    """The profile's candidate pairs, computed here rather than by Splink's own blocking and registered for
    prediction: Splink keeps each rule's pairs apart by testing every earlier rule again, filter included, which with
    two dozen rules and a string-similarity filter costs more than scoring (measured at 100,000 records: 946 s of
    prediction with Splink's blocking, docs/linkage.md). Here each rule is one join, and ``UNION`` drops the pairs
    that several rules find."""
    sql = profile.candidates_sql(records.physical_name, api.sql_dialect)
    blocked = f"SELECT '0' AS match_key, unique_id_l AS join_key_l, unique_id_r AS join_key_r FROM ({sql}) pairs"
    name = f"__tawthiq_candidates_{records.physical_name}"
    if type(api).__name__ == "SparkAPI":
        api.spark.sql(blocked).persist().createOrReplaceTempView(name)
    else:
        api.duckdb_con.execute(f"CREATE OR REPLACE TABLE {name} AS {blocked}")
    return api.register(name)


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
    scoring = model_for_dialect(model, dialect, profile)
    if not term_frequencies:
        for comparison in scoring["comparisons"]:
            for level in comparison["comparison_levels"]:
                level.pop("tf_adjustment_column", None)
    records = _register(api, features)
    linker = splink.Linker(records, scoring, log_level=logging.WARNING)
    linker.table_management.register_blocked_pairs_for_predict(_candidate_pairs(api, records, profile))
    pairs = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    table = pairs.as_pandas_dataframe()
    keep = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    keep += [c for c in table.columns if c.startswith("mw_") and not c.startswith("mw_tf_adj")]
    return table[keep]
