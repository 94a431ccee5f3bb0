"""The one table that turns the wording of a count into ``low`` / ``best`` / ``high``.

Every language maps its words onto the keys below (English in ``quantities.py``, Arabic in ``quantities_ar.py``); the
arithmetic lives here only, so that "more than 1,300" and "أكثر من 1300" are coded the same way. docs/quantities.md
explains each choice for documenters.

The rule we start from is ACLED's: when a report gives a vague figure, code the lowest number the words allow
("tens" = 10, "dozens" = 12, "hundreds" = 100). ``best`` follows that rule; ``low`` is the same conservative floor;
``high`` is the largest figure the words still allow, or ``None`` when the words set no ceiling ("more than 1,300").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Vague:
    """A vague quantity word: the floor (ACLED's coding) and the largest value the word still covers."""

    best: int
    high: int | None


# Vague quantity words, by key. Keys are language-neutral; each language maps its own words to them.
VAGUE: dict[str, Vague] = {
    "a_few": Vague(best=3, high=9),  # "a few", "several", "عدد من"
    "tens": Vague(best=10, high=99),  # ACLED: tens = 10; "عشرات"
    "dozens": Vague(best=12, high=99),  # ACLED: dozens = 12
    "scores": Vague(best=40, high=199),  # our choice: "scores" is at least two score
    "hundreds": Vague(best=100, high=999),  # ACLED: hundreds = 100; "مئات", "المئات"
    "thousands": Vague(best=1000, high=9999),  # "آلاف"
    "tens_of_thousands": Vague(best=10000, high=99999),
    "hundreds_of_thousands": Vague(best=100000, high=999999),
    "several_hundred": Vague(best=300, high=999),  # "several hundred", "a few hundred": several is at least three
    "several_thousand": Vague(best=3000, high=9999),  # "several thousand", "a few thousand"
    "millions": Vague(best=1000000, high=9999999),
}

# Qualifiers of a stated number N, by key.
#   exact           N                         low = best = high = N
#   more_than       "more than", "over"       low = best = N, high = None (the stated figure is the floor; the
#                                             strict "more than" adds one person, below any toll's resolution)
#   at_least        "at least", "no fewer"    low = best = N, high = None
#   about           "about", "around", "some" low = floor(0.9 N), best = N, high = ceil(1.1 N)
#   nearly          "nearly", "almost"        low = floor(0.9 N), best = N, high = N
#   up_to           "up to", "as many as"     low = None, best = N, high = N
#   less_than       "less than", "fewer than" low = None, best = N - 1, high = N - 1
#   approx_exact    "half a dozen" (a round   low = N - 1, best = N, high = N + 1
#                   idiom for a small number)
QUALIFIER_KEYS = ("exact", "more_than", "at_least", "about", "nearly", "up_to", "less_than", "approx_exact")


def apply_qualifier(key: str, n: int) -> tuple[int | None, int | None, int | None]:
    """Return ``(low, best, high)`` for the number ``n`` qualified by ``key``.

    >>> apply_qualifier("more_than", 1300)
    (1300, 1300, None)
    >>> apply_qualifier("about", 25000)
    (22500, 25000, 27500)
    """
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    if key == "exact":
        return n, n, n
    if key in ("more_than", "at_least"):
        return n, n, None
    if key == "about":
        return (9 * n) // 10, n, -((-11 * n) // 10)
    if key == "nearly":
        return (9 * n) // 10, n, n
    if key == "up_to":
        return None, n, n
    if key == "less_than":
        return None, max(n - 1, 0), max(n - 1, 0)
    if key == "approx_exact":
        return max(n - 1, 0), n, n + 1
    raise ValueError(f"unknown qualifier key {key!r}; known: {', '.join(QUALIFIER_KEYS)}")


def apply_vague(key: str, qualifier: str = "exact") -> tuple[int | None, int | None, int | None]:
    """Return ``(low, best, high)`` for a vague word (``tens``, ``hundreds`` ...), optionally qualified.

    "more than hundreds" keeps the floor and drops the ceiling; "about hundreds" is read as the bare word.

    >>> apply_vague("hundreds")
    (100, 100, 999)
    """
    try:
        vague = VAGUE[key]
    except KeyError:
        raise ValueError(f"unknown vague quantity {key!r}; known: {', '.join(VAGUE)}") from None
    if qualifier in ("more_than", "at_least"):
        return vague.best, vague.best, None
    return vague.best, vague.best, vague.high


RANGE_KEY = "range"


def apply_range(low: int, high: int) -> tuple[int | None, int | None, int | None]:
    """Return ``(low, best, high)`` for a stated range ("six or seven", "between 100 and 150", "20-30").

    ``best`` is the lower end, by the same conservative rule as the vague words; the bounds are kept as written,
    swapped if the writer gave them high first.

    >>> apply_range(6, 7)
    (6, 6, 7)
    """
    if low < 0 or high < 0:
        raise ValueError(f"a count cannot be negative: {low}-{high}")
    low, high = min(low, high), max(low, high)
    return low, low, high
