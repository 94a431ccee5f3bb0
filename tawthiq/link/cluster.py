"""From scored pairs to persons, keeping for every merge the pair that justified it, and honouring analysts.

Clustering is Kruskal-style: pairs at or above the threshold are taken strongest first and each joins two groups
unless an analyst's *cannot-link* constraint forbids it (a split cluster stays split). Without constraints this gives
exactly the connected components of the thresholded graph (what Splink's
``cluster_pairwise_predictions_at_threshold`` computes); with them it is the greedy constrained variant. Analysts'
*must-link* constraints (a confirmed cluster, a split's groups) are applied first, with probability 1.

A second, weaker pass (``attach_threshold``, with conflict checks) then joins groups by pairs under the threshold,
but only where the evidence is unambiguous: the pair is the strongest candidate of *both* groups (mutual best), the
groups share no list (a list rarely holds one person twice; with ``list_duplicate``, unless the two records of that
list resemble each other: the list holds the person twice) and no record of one contradicts a record of the other.
This recovers true pairs that the first pass misses on large sets, where the prior (the probability that two random
records match) falls as 1/n and a pair missing a date of death or a father's name stays under the threshold; a
lower threshold alone would also join look-alikes (two men of one common name in one village), which the mutual-best
rule leaves apart. Up to :data:`ATTACH_ROUNDS` rounds are made, as a join can make a group the best partner of another.

Each record's ``via`` is the record it was joined to and ``score`` that pair's match probability, so the chain of
evidence for every person can be shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tawthiq.errors import LinkageError
from tawthiq.link.conflicts import Conflicts

ATTACH_ROUNDS = 3


@dataclass(slots=True)
class Constraints:
    """Analysts' decisions, as record-id pairs."""

    must_link: list[tuple[int, int]] = field(default_factory=list)
    cannot_link: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def from_groups(cls, confirmed: Iterable[Sequence[int]], splits: Iterable[Sequence[Sequence[int]]]) -> Constraints:
        """``confirmed``: record groups that are one person each; ``splits``: lists of groups that are distinct."""
        out = cls()
        for group in confirmed:
            out.must_link += [(group[0], other) for other in group[1:]]
        for groups in splits:
            for group in groups:
                out.must_link += [(group[0], other) for other in group[1:]]
            for i, a in enumerate(groups):
                for b in groups[i + 1 :]:
                    out.cannot_link += [(x, y) for x in a for y in b]
        return out


class _Forest:
    """Union-find over record ids with the set of forbidden partners per root."""

    def __init__(self, ids: np.ndarray, conflicts: Conflicts | None = None, one_to_one: bool = False) -> None:
        self.parent = {int(i): int(i) for i in ids}
        self.forbidden: dict[int, set[int]] = {}
        self.conflicts = conflicts
        self.one_to_one = one_to_one
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def forbid(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        self.forbidden.setdefault(ra, set()).add(rb)
        self.forbidden.setdefault(rb, set()).add(ra)

    def group(self, root: int) -> list[int]:
        """The records of the group whose root is ``root`` (tracked only when conflicts are checked)."""
        return self.members.get(root, [root])

    def union(self, a: int, b: int, *, check: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        fa, fb = self.forbidden.get(ra, set()), self.forbidden.get(rb, set())
        if {self.find(x) for x in fa} & {rb} or {self.find(x) for x in fb} & {ra}:
            return False
        if check and self.conflicts is not None:
            group_a, group_b = self.group(ra), self.group(rb)
            if self.one_to_one and self.conflicts.share_list(group_a, group_b):
                return False
            if self.conflicts.across(group_a, group_b):
                return False
        if len(fa) < len(fb):
            ra, rb, fa, fb = rb, ra, fb, fa
        self.parent[rb] = ra
        if self.conflicts is not None:
            self.members[ra] = self.group(ra) + self.members.pop(rb, [rb])
        if fb:
            self.forbidden[ra] = fa | fb
            self.forbidden.pop(rb, None)
        return True


def cluster(
    ids: Sequence[int] | np.ndarray,
    pairs: pd.DataFrame,
    threshold: float,
    constraints: Constraints | None = None,
    conflicts: Conflicts | None = None,
    attach_threshold: float | None = None,
    one_to_one: bool = False,
    corroboration: float = 0.0,
    list_duplicate: float | None = None,
) -> pd.DataFrame:
    """Assign every record a ``person`` (the smallest record id in its cluster).

    ``attach_threshold`` (below ``threshold``; needs ``conflicts``) turns on the second pass of the module docstring.
    ``one_to_one`` (needs ``conflicts`` with lists): the lists are known to hold each person at most once, so no
    person may hold two records of one list; with pairs taken strongest first this is the greedy one-to-one link.
    ``corroboration``: in the second pass, the least share of the record pairs across two groups that must be among
    ``pairs`` (scored at all) for the groups to join — one weak pair between two groups of several records is not
    enough when the other records do not resemble each other.
    ``list_duplicate`` (None: never): in the second pass, two groups that share a list may still join when every
    pair of their records from a shared list was itself scored at or above this probability — the list holds the
    person twice (a record entered again), which the same-list rule would otherwise keep apart for good.

    Returns one row per record: ``unique_id``, ``person``, ``via`` (the record whose pair joined it, or NA for the
    first record of a person) and ``score`` (that pair's match probability; 1.0 for an analyst's must-link).
    """
    all_ids = np.asarray(ids, dtype="int64")
    if one_to_one and (conflicts is None or not conflicts.lists):
        raise LinkageError("one-to-one clustering needs each record's list", hint="pass conflicts with list names")
    forest = _Forest(all_ids, conflicts, one_to_one)
    cons = constraints or Constraints()
    for a, b in cons.cannot_link:
        if a in forest.parent and b in forest.parent:
            forest.forbid(a, b)
    joins: list[tuple[int, int, float]] = []
    for a, b in cons.must_link:
        if a in forest.parent and b in forest.parent and forest.union(a, b, check=False):
            joins.append((a, b, 1.0))
    strong = pairs[pairs["match_probability"] >= threshold]
    strong = strong.sort_values("match_probability", ascending=False, kind="stable")
    left = strong["unique_id_l"].to_numpy(dtype="int64")
    right = strong["unique_id_r"].to_numpy(dtype="int64")
    probs = strong["match_probability"].to_numpy(dtype="float64")
    for a, b, p in zip(left.tolist(), right.tolist(), probs.tolist(), strict=True):
        if forest.union(a, b):
            joins.append((a, b, p))
    if attach_threshold is not None and conflicts is not None and attach_threshold < threshold:
        weak = pairs[(pairs["match_probability"] < threshold) & (pairs["match_probability"] >= attach_threshold)]
        scored = _Scored(pairs, corroboration, list_duplicate)
        for _ in range(ATTACH_ROUNDS):
            joined = _attach_round(forest, weak, conflicts, scored)
            joins += joined
            if not joined:
                break
    return _assignments(all_ids, forest, joins)


class _Scored:
    """The scored record pairs, to check that two groups are corroborated by their other records too, and that two
    records of one list across two groups look like one person entered twice."""

    def __init__(self, pairs: pd.DataFrame, share: float, list_duplicate: float | None = None) -> None:
        self.share = share
        self.list_duplicate = list_duplicate
        self.pairs: dict[tuple[int, int], float] = {}
        if share > 0 or list_duplicate is not None:
            left = pairs["unique_id_l"].to_numpy(dtype="int64").tolist()
            right = pairs["unique_id_r"].to_numpy(dtype="int64").tolist()
            probs = pairs["match_probability"].to_numpy(dtype="float64").tolist()
            self.pairs = {(min(a, b), max(a, b)): p for a, b, p in zip(left, right, probs, strict=True)}

    def corroborated(self, group_a: list[int], group_b: list[int]) -> bool:
        if self.share <= 0 or len(group_a) * len(group_b) == 1:
            return True
        found = sum((min(a, b), max(a, b)) in self.pairs for a in group_a for b in group_b)
        return found >= self.share * len(group_a) * len(group_b)

    def apart(self, group_a: list[int], group_b: list[int], conflicts: Conflicts) -> bool:
        """True when the groups share a list and, unless ``list_duplicate`` allows it, must stay apart: with it, they
        may join when each pair of their records from one list was scored at or above it (a list's duplicate)."""
        if not conflicts.share_list(group_a, group_b):
            return False
        if self.list_duplicate is None:
            return True
        for a, b in conflicts.same_list_pairs(group_a, group_b):
            if self.pairs.get((min(a, b), max(a, b)), 0.0) < self.list_duplicate:
                return True
        return False


def _attach_round(forest: _Forest, weak: pd.DataFrame, conflicts: Conflicts,
                  scored: _Scored) -> list[tuple[int, int, float]]:  # fmt: skip
    """One round of the second pass: join groups whose weak pair is the mutual best among admissible candidates."""
    candidates: list[tuple[int, int, float, int, int]] = []
    best: dict[int, float] = {}
    left = weak["unique_id_l"].to_numpy(dtype="int64").tolist()
    right = weak["unique_id_r"].to_numpy(dtype="int64").tolist()
    probs = weak["match_probability"].to_numpy(dtype="float64").tolist()
    for a, b, p in zip(left, right, probs, strict=True):
        ra, rb = forest.find(a), forest.find(b)
        if ra == rb:
            continue
        group_a, group_b = forest.group(ra), forest.group(rb)
        if scored.apart(group_a, group_b, conflicts) or conflicts.across(group_a, group_b):
            continue
        if not scored.corroborated(group_a, group_b):
            continue
        candidates.append((a, b, p, ra, rb))
        best[ra] = max(best.get(ra, 0.0), p)
        best[rb] = max(best.get(rb, 0.0), p)
    joins = []
    for a, b, p, ra, rb in sorted(candidates, key=lambda c: -c[2]):
        if best[ra] > p or best[rb] > p or forest.find(a) != ra or forest.find(b) != rb:
            continue
        if forest.union(a, b):
            joins.append((a, b, p))
    return joins


def _assignments(ids: np.ndarray, forest: _Forest, joins: list[tuple[int, int, float]]) -> pd.DataFrame:
    """Person = smallest id of its cluster; ``via``/``score`` from a walk of the spanning tree out from that id."""
    roots = np.fromiter((forest.find(int(i)) for i in ids), dtype="int64", count=len(ids))
    frame = pd.DataFrame({"unique_id": ids, "root": roots})
    frame["person"] = frame.groupby("root")["unique_id"].transform("min")
    tree: dict[int, list[tuple[int, float]]] = {}
    for a, b, p in joins:
        tree.setdefault(a, []).append((b, p))
        tree.setdefault(b, []).append((a, p))
    via: dict[int, tuple[int, float]] = {}
    for anchor in frame.loc[frame["person"] == frame["unique_id"], "unique_id"].tolist():
        if anchor not in tree:
            continue
        seen, stack = {anchor}, [anchor]
        while stack:
            node = stack.pop()
            for other, p in tree[node]:
                if other not in seen:
                    seen.add(other)
                    via[other] = (node, p)
                    stack.append(other)
    frame["via"] = pd.array([via[i][0] if i in via else None for i in ids.tolist()], dtype="Int64")
    frame["score"] = [via[i][1] if i in via else float("nan") for i in ids.tolist()]
    return frame.drop(columns="root")
