"""Victim record linkage: names normalised for Arabic and Latin script, Splink's probabilistic model, clustering that
never joins conflicting records, analyst decisions kept across runs, and unique-person counts (docs/linkage.md)."""

#: First clustering pass (conflict-checked). High, because the second, mutual-best pass recovers the weaker true pairs
#: with fewer false joins than a low first threshold does (0.3 before issue 3; docs/linkage.md has both figures).
DEFAULT_THRESHOLD = 0.8
#: Second clustering pass: pairs down to this probability join groups that are each other's best candidate, share no
#: list and hold no contrary evidence (``cluster.cluster``); it recovers most true pairs that a large set's prior
#: (falling as 1/n) pushes under :data:`DEFAULT_THRESHOLD` (measured on the 20k and 100k sets, docs/linkage.md).
ATTACH_THRESHOLD = 0.007
