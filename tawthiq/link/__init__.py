"""Victim record linkage: names normalised for Arabic and Latin script, Splink's probabilistic model, clustering that
never joins conflicting records, analyst decisions kept across runs, and unique-person counts (docs/linkage.md)."""

#: First clustering pass (conflict-checked): pairs more likely a match than not. The second, mutual-best and
#: corroborated pass recovers weaker true pairs (0.3, then 0.8 before; docs/linkage.md has the figures).
DEFAULT_THRESHOLD = 0.5
#: Second clustering pass: pairs down to this probability join groups that are each other's best candidate, share no
#: list and hold no contrary evidence (``cluster.cluster``); it recovers most true pairs that a large set's prior
#: (falling as 1/n) pushes under :data:`DEFAULT_THRESHOLD` (measured on the 20k and 100k sets, docs/linkage.md).
ATTACH_THRESHOLD = 0.005
#: Second pass: the least share of the record pairs across two groups that must have been scored (at or above
#: :data:`PAIR_FLOOR`) for the groups to join — one weak pair is not enough when the other records do not resemble
#: each other (measured: pairwise precision at 100k from 0.963 to 0.978).
CORROBORATION = 2 / 3
#: Second pass: two groups that share a list may still join when each pair of their records from that list was scored
#: at least this (the list holds the person twice); under it the list's two records are taken for two people.
LIST_DUPLICATE = 0.02
#: Pairs scored under this probability are not kept: too weak to join anything or to corroborate a join.
PAIR_FLOOR = 0.001
