"""Strong contrary evidence between two records: what keeps clustering from chaining different people together.

A Fellegi–Sunter score adds up agreements as if the fields were independent. They are not: brothers killed together
share their father's name, family name, village and date of death, and such a pair scores as high as a true match
although their given names differ outright. Transitive closure then chains whole families, and every common name in
one village, into one "person". Clustering therefore refuses to join two groups of records when any record of one
and any record of the other hold contrary evidence that no recording error explains:

* **given names**: two common Arabic spellings (``محمد``/``أحمد``, ``حسن``/``حسين``: :data:`COMMON_NAME_SHARE`);
  in one script, normalised spellings more than one edit apart, under Jaro–Winkler 0.88 and not a
  shortened form of one another (``Izz``/``Izz al-Din``), also once Levantine sound-alike Latin letters are folded
  (``names.sound_spelling``: ``Mundhir``/``Munzer``, ``Othman``/``Osman``, ``Fatmeh``/``Fatema``); across scripts,
  keys that differ and are not one edit apart on keys of four letters or more that begin alike
  (``hmd``/``mhmd``/``hmz``: Ahmad, Muhammad, Hamza) and not one name in sound-alike consonants (``Muaz``/``معاذ``,
  ``Ahmet``/``أحمد``, ``Gassem``/``قاسم``); the linkage blocking refuses the same pairs
  (``splink_model.GIVEN_COMPATIBLE``), so they are never scored;
* **sex** recorded differently;
* **dates of death** more than :data:`MAX_DAYS_APART` days apart;
* **ages** more than :data:`MAX_YEARS_APART` years apart.

Each rule needs both values recorded: a missing field is never evidence. The reason is returned as a short text, so
a refused merge can be explained as well as an accepted one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish
import numpy as np
import pandas as pd

from tawthiq.link.names import is_arabic, sound_spelling

#: Consonants that transliterations write for one Arabic letter, as spoken in the Levant or in Turkish: ذ as ``z``,
#: ث as ``s``, a final ``d`` as ``t``, ق as ``g`` (Muaz / معاذ, Thaer / Saer, Ahmet / أحمد, Gassem / قاسم). Keys
#: equal after one of these foldings are one name across scripts (``splink_model.SOUND_ALIKE_SQL`` is the same).
SOUND_ALIKE = (str.maketrans("tz", "dd"), str.maketrans("s", "t"), str.maketrans("g", "k"))
#: An Arabic given name is *common* when its normalised spelling is that share of the records, and at least
#: :data:`COMMON_NAME_MIN` of them: two common Arabic spellings are two names, never a typo of one another (on the
#: generated lists a typo's spelling is under 0.02 % of the records, the pool's rarest names about 0.06 %).
COMMON_NAME_SHARE = 0.001
COMMON_NAME_MIN = 5
MAX_DAYS_APART = 30
MAX_YEARS_APART = 10
_EPOCH = dt.date(1970, 1, 1)


@lru_cache(maxsize=1_048_576)
def given_names_conflict(key_a: str, norm_a: str, key_b: str, norm_b: str, same_script: bool | None = None,
                         both_common: bool = False, one_rare: bool = False) -> bool:  # fmt: skip
    """True when two given names cannot be spellings of one name (see the module docstring).

    ``same_script``: whether the two records are written in one script (their ``script`` feature, as the linkage
    model and the blocking filter ``splink_model.GIVEN_COMPATIBLE`` decide it); by default, whether both names are
    Arabic or both not. In one script the normalised spellings are compared (the key is too coarse there: Hassan
    and Hussein share ``hsn``); across scripts only the key can be: keys equal after folding a sound-alike
    consonant (:data:`SOUND_ALIKE`) are one name, and a one-edit difference counts as a typo only on keys of four
    letters or more that begin alike (``hmd``/``hmz``/``mhmd`` are Ahmad, Hamza and Muhammad). ``both_common``: both are
    common Arabic spellings (the ``given_common`` feature), which in one script conflict unless one is a shortened
    form of the other; ``one_rare``: one of the two spellings is rare (and not both common), so across scripts keys
    one edit apart are that spelling mistyped (``احد``/``Ahmad``, ``يوف``/``Yusuf``) whatever their length or first
    letter. Rarity is only read in a set large enough to tell a rare name from a typo (``features.common_given``):
    in a list of a few hundred records Muhammad and Ahmad (``mhmd``/``hmd``) keep the strict rule.

    >>> given_names_conflict("mhmd", "محمد", "mhmd", "muhamad")
    False
    >>> given_names_conflict("hmd", "احمد", "bdrhmn", "abdrahman")
    True
    >>> given_names_conflict("hmd", "احمد", "mhmd", "muhamad"), given_names_conflict("hsn", "hasan", "hsn", "husain")
    (True, True)
    """
    if norm_a == norm_b:
        return False
    if same_script is None:
        same_script = is_arabic(norm_a) == is_arabic(norm_b)
    if same_script:
        if norm_a.startswith(norm_b) or norm_b.startswith(norm_a):
            return False  # Izz / Izz al-Din
        if both_common:
            return True  # two common Arabic names: محمد / أحمد, حسن / حسين
        return not any(
            jellyfish.damerau_levenshtein_distance(a, b) <= 1 or jellyfish.jaro_winkler_similarity(a, b) >= 0.88
            for a, b in ((norm_a, norm_b), (sound_spelling(norm_a), sound_spelling(norm_b)))
        )
    if key_a == key_b or key_a.startswith(key_b) or key_b.startswith(key_a):
        return False
    if any(key_a.translate(fold) == key_b.translate(fold) for fold in SOUND_ALIKE):
        return False
    one_edit = jellyfish.damerau_levenshtein_distance(key_a, key_b) <= 1
    return not (one_edit and (one_rare or (key_a[:1] == key_b[:1] and max(len(key_a), len(key_b)) >= 4)))


def _days(values: pd.Series) -> np.ndarray:
    """ISO dates as day numbers; -1 where missing."""
    dates = pd.to_datetime(values, errors="coerce", format="%Y-%m-%d")
    out = ((dates - pd.Timestamp(_EPOCH)).dt.days).fillna(-1).astype("int64")
    return out.to_numpy()


@dataclass(slots=True)
class Conflicts:
    """The fields the rules read, by record id, from the linkage features (:func:`features.build_features`)."""

    index: dict[int, int]
    given_key: list[str]
    given_norm: list[str]
    sex: list[str]
    days: np.ndarray
    age: np.ndarray
    lists: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    common: list[int] = field(default_factory=list)  # features.common_given: 1 common, 0 rare, −1 not known

    @classmethod
    def from_features(cls, features: pd.DataFrame) -> Conflicts:
        ids = features["unique_id"].astype("int64").tolist()
        age = features["age"].astype("Float64").fillna(-1).astype("int64").to_numpy() if "age" in features else None
        return cls(
            index={int(i): n for n, i in enumerate(ids)},
            given_key=features["given_key"].fillna("").astype(str).tolist(),
            given_norm=features["given_norm"].fillna("").astype(str).tolist(),
            sex=features["sex"].fillna("").astype(str).tolist(),
            days=_days(features["dod"]),
            age=age if age is not None else np.full(len(ids), -1, dtype="int64"),
            lists=features["list_name"].fillna("").astype(str).tolist() if "list_name" in features else [],
            scripts=features["script"].fillna("").astype(str).tolist() if "script" in features else [],
            common=features["given_common"].fillna(-1).astype("int64").tolist() if "given_common" in features else [],
        )

    @classmethod
    def lists_only(cls, features: pd.DataFrame) -> Conflicts:
        """No field rules, only the list of each record (for the one-to-one rule and the second pass)."""
        ids = features["unique_id"].astype("int64").tolist()
        empty = [""] * len(ids)
        missing = np.full(len(ids), -1, dtype="int64")
        return cls(
            index={int(i): n for n, i in enumerate(ids)}, given_key=empty, given_norm=empty, sex=empty,
            days=missing, age=missing, lists=features["list_name"].fillna("").astype(str).tolist(),
        )  # fmt: skip

    def between(self, a: int, b: int) -> str | None:
        """The reason records ``a`` and ``b`` cannot be one person, or None."""
        i, j = self.index.get(a), self.index.get(b)
        if i is None or j is None:
            return None
        if self.sex[i] and self.sex[j] and self.sex[i] != self.sex[j]:
            return "sex differs"
        if self.days[i] >= 0 and self.days[j] >= 0 and abs(int(self.days[i]) - int(self.days[j])) > MAX_DAYS_APART:
            return f"dates of death more than {MAX_DAYS_APART} days apart"
        if self.age[i] >= 0 and self.age[j] >= 0 and abs(int(self.age[i]) - int(self.age[j])) > MAX_YEARS_APART:
            return f"ages more than {MAX_YEARS_APART} years apart"
        ka, kb = self.given_key[i], self.given_key[j]
        same = self.scripts[i] == self.scripts[j] if self.scripts else None
        common = bool(self.common) and self.common[i] == 1 and self.common[j] == 1
        arabic = common and bool(self.scripts) and self.scripts[i] == "ar"
        rare = bool(self.common) and not common and min(self.common[i], self.common[j]) >= 0
        if ka and kb and given_names_conflict(ka, self.given_norm[i], kb, self.given_norm[j], same, arabic, rare):
            return "given names differ"
        return None

    def across(self, group_a: list[int], group_b: list[int]) -> str | None:
        """The first conflict between any record of ``group_a`` and any of ``group_b``, or None."""
        for a in group_a:
            for b in group_b:
                reason = self.between(a, b)
                if reason:
                    return reason
        return None

    def share_list(self, group_a: list[int], group_b: list[int]) -> bool:
        """True when a record of ``group_a`` and one of ``group_b`` come from the same list (a list rarely holds one
        person twice, so the weak second clustering pass never joins such groups). Unknown lists share nothing."""
        if not self.lists:
            return False
        names_a = {self.lists[i] for i in (self.index.get(a) for a in group_a) if i is not None} - {""}
        return any(i is not None and self.lists[i] in names_a for i in (self.index.get(b) for b in group_b))

    def same_list_pairs(self, group_a: list[int], group_b: list[int]) -> list[tuple[int, int]]:
        """The pairs of a record of ``group_a`` and a record of ``group_b`` that come from the same (known) list."""
        if not self.lists:
            return []
        by_list: dict[str, list[int]] = {}
        for a in group_a:
            i = self.index.get(a)
            if i is not None and self.lists[i]:
                by_list.setdefault(self.lists[i], []).append(a)
        out = []
        for b in group_b:
            j = self.index.get(b)
            if j is not None and self.lists[j]:
                out += [(a, b) for a in by_list.get(self.lists[j], [])]
        return out
