"""Victim record linkage: names normalised for Arabic and Latin script, Splink's probabilistic model, clustering that
never joins conflicting records, analyst decisions kept across runs, and unique-person counts (docs/linkage.md)."""

DEFAULT_THRESHOLD = 0.3  # with conflict checks in clustering, a low threshold keeps recall without chaining
