"""Overlap tables: how many persons each combination of lists recorded, read from and written to CSV.

The CSV has one 0/1 column per list, a `count` column, and optionally other columns (governorate, period, status)
that split the persons into strata. This is the interface with the linkage step (`tawthiq victims counts`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tawthiq.errors import EstimationError
from tawthiq.files import field_separator

MIN_LISTS = 2
MAX_LISTS = 8
COUNT_COLUMN = "count"


@dataclass(frozen=True)
class OverlapTable:
    """Counts of persons for every capture pattern of `lists` (the all-zero pattern is never observed).

    `counts[p]` is the number of persons seen on exactly the lists whose bits are set in the integer `p`
    (bit j = list j), for p = 1 … 2^k − 1; `counts[0]` is always 0.
    """

    lists: tuple[str, ...]
    counts: np.ndarray
    name: str = "table"
    # the capture patterns (indices into counts) in the order the input gave them, for a bootstrap that must draw
    # as another program drew on the same rows (SparseMSE's, tawthiq.estimate.stepwise); () means ascending
    order: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        k = len(self.lists)
        counts = np.asarray(self.counts, dtype=np.int64)
        if counts.shape != (2**k,):
            raise EstimationError(f"{self.name}: expected {2**k} pattern counts for {k} lists, got {counts.shape}")
        if (counts < 0).any():
            raise EstimationError(f"{self.name}: counts cannot be negative")
        if counts[0] != 0:
            raise EstimationError(f"{self.name}: the all-zero pattern cannot have persons (nobody saw them)")
        object.__setattr__(self, "counts", counts)

    @property
    def k(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def observed(self) -> int:
        """Number of distinct persons on at least one list."""
        return int(self.counts.sum())

    def patterns(self) -> np.ndarray:
        """The 2^k × k 0/1 matrix of capture patterns, row p = bits of p."""
        return pattern_matrix(self.k)

    def input_order(self) -> list[int]:
        """The patterns holding persons, in the order the input gave them (those it did not give last, ascending)."""
        given = [p for p in dict.fromkeys(self.order) if self.counts[p] > 0]
        seen = set(given)
        return given + [p for p in range(1, self.counts.size) if self.counts[p] > 0 and p not in seen]

    def list_totals(self) -> dict[str, int]:
        """How many persons each list recorded."""
        totals = self.patterns().T @ self.counts
        return {name: int(t) for name, t in zip(self.lists, totals, strict=True)}

    def as_dict(self) -> dict[tuple[int, ...], int]:
        """Pattern (tuple of 0/1) → count, for observable patterns."""
        pats = self.patterns()
        return {tuple(int(b) for b in pats[p]): int(self.counts[p]) for p in range(1, 2**self.k)}

    @classmethod
    def from_patterns(
        cls, lists: Sequence[str], counts: Mapping[tuple[int, ...], int], name: str = "table"
    ) -> OverlapTable:
        """Build from a mapping pattern → count; absent patterns count 0, repeated ones must not occur."""
        k = len(lists)
        arr = np.zeros(2**k, dtype=np.int64)
        for pattern, n in counts.items():
            if len(pattern) != k or any(b not in (0, 1) for b in pattern):
                raise EstimationError(f"{name}: pattern {pattern} is not {k} values of 0/1")
            arr[pattern_index(pattern)] += int(n)
        return cls(tuple(lists), arr, name, tuple(pattern_index(p) for p in counts))

    def to_csv(self) -> str:
        """The table as CSV text (one row per observable pattern), readable by `read_overlap_csv`."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*self.lists, COUNT_COLUMN])
        for pattern, n in self.as_dict().items():
            writer.writerow([*pattern, n])
        return out.getvalue()


def pattern_matrix(k: int) -> np.ndarray:
    """The 2^k × k matrix whose row p holds the bits of p (bit j in column j)."""
    idx = np.arange(2**k)[:, None]
    return ((idx >> np.arange(k)[None, :]) & 1).astype(np.int64)


def pattern_index(pattern: Sequence[int]) -> int:
    """Row of `pattern` in `pattern_matrix`."""
    return int(sum(int(b) << j for j, b in enumerate(pattern)))


@dataclass(frozen=True)
class OverlapData:
    """A parsed overlap CSV: list columns, stratum columns and the rows (pattern, strata values, count)."""

    name: str
    lists: tuple[str, ...]
    strata_columns: tuple[str, ...]
    rows: list[tuple[tuple[int, ...], tuple[str, ...], int]] = field(default_factory=list)

    def table(self) -> OverlapTable:
        """All persons together, strata summed."""
        return self._table(self.rows, self.name)

    def strata(self, column: str) -> dict[str, OverlapTable]:
        """One table per value of `column`, in order of first appearance."""
        if column not in self.strata_columns:
            known = ", ".join(self.strata_columns) or "none"
            raise EstimationError(f"{self.name}: no stratum column {column!r} (stratum columns: {known})")
        j = self.strata_columns.index(column)
        groups: dict[str, list[tuple[tuple[int, ...], tuple[str, ...], int]]] = {}
        for row in self.rows:
            groups.setdefault(row[1][j], []).append(row)
        return {value: self._table(rows, f"{self.name} [{column}={value}]") for value, rows in groups.items()}

    def _table(self, rows: Iterable[tuple[tuple[int, ...], tuple[str, ...], int]], name: str) -> OverlapTable:
        arr = np.zeros(2 ** len(self.lists), dtype=np.int64)
        order = []
        for pattern, _, n in rows:
            arr[pattern_index(pattern)] += n
            order.append(pattern_index(pattern))
        return OverlapTable(self.lists, arr, name, tuple(dict.fromkeys(order)))


def read_overlap_csv(path: str | Path, strata: Sequence[str] = ()) -> OverlapData:
    """Read and validate an overlap CSV; every problem raises EstimationError naming the file.

    Columns holding only 0/1 are lists, unless named in `strata`; other columns (besides `count`) are strata.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise EstimationError(f"{path}: cannot read the overlap table ({e.__class__.__name__}: {e})") from e
    return parse_overlap_csv(text, str(path), strata)


def parse_overlap_csv(text: str, name: str, strata: Sequence[str] = ()) -> OverlapData:
    """Parse the text of an overlap CSV (see `read_overlap_csv`)."""
    records = [r for r in csv.reader(io.StringIO(text), delimiter=field_separator(text)) if any(c.strip() for c in r)]
    if not records:
        raise EstimationError(
            f"{name}: the overlap table is empty", hint="one 0/1 column per list and a `count` column"
        )
    header = [h.strip() for h in records[0]]
    body = records[1:]
    _check_header(header, name, strata)
    if not body:
        raise EstimationError(f"{name}: the overlap table has a header but no rows")
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise EstimationError(f"{name}: line {i} has {len(r)} fields, the header has {len(header)}")
    columns = {h: [r[j].strip() for r in body] for j, h in enumerate(header)}
    count = _count_column(header)
    columns[COUNT_COLUMN] = columns[count]
    others = [h for h in header if h != count]
    lists = tuple(h for h in others if h not in strata and {v.lower() for v in columns[h]} <= set(_CAPTURED))
    for h in lists:
        columns[h] = [_CAPTURED[v.lower()] for v in columns[h]]
    strata_cols = tuple(h for h in others if h not in lists)
    if not MIN_LISTS <= len(lists) <= MAX_LISTS:
        raise EstimationError(
            f"{name}: found {len(lists)} list columns ({', '.join(lists) or 'none'}); need {MIN_LISTS} to {MAX_LISTS}",
            hint="list columns hold only 0 and 1; non-0/1 columns are read as strata",
        )
    rows = [_parse_row(columns, lists, strata_cols, i, name) for i in range(len(body))]
    _check_rows(rows, name)
    return OverlapData(name, lists, strata_cols, rows)


# what a list column may hold: 0/1, or R's logical values as write.csv writes them
_CAPTURED = {"0": "0", "1": "1", "false": "0", "true": "1"}
# names of the count column in tables written by hand, by R (as.data.frame(table(...)) gives "Freq") or by other tools
_COUNT_NAMES = (COUNT_COLUMN, "freq", "frequency", "n")


def _count_column(header: list[str]) -> str:
    """The count column: `count` in any case, else one of the other usual names."""
    lowered = {h.lower(): h for h in header}
    return next(lowered[n] for n in _COUNT_NAMES if n in lowered)


def _check_header(header: list[str], name: str, strata: Sequence[str]) -> None:
    if not any(h.lower() in _COUNT_NAMES for h in header):
        raise EstimationError(f"{name}: no `count` column in the header ({', '.join(header)})",
                              hint="one 0/1 column per list and a `count` column (also read: Freq, frequency, n)")
    if any(not h for h in header):
        raise EstimationError(f"{name}: a column has an empty name")
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise EstimationError(f"{name}: repeated column names: {', '.join(dup)}")
    missing = [s for s in strata if s not in header]
    if missing:
        raise EstimationError(f"{name}: no stratum column {missing[0]!r} (columns: {', '.join(header)})")


def _parse_row(
    columns: dict[str, list[str]], lists: tuple[str, ...], strata: tuple[str, ...], i: int, name: str
) -> tuple[tuple[int, ...], tuple[str, ...], int]:
    raw = columns[COUNT_COLUMN][i]
    try:
        n = int(raw)
    except ValueError:
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not value.is_integer():
            raise EstimationError(f"{name}: line {i + 2}: count {raw!r} is not a whole number") from None
        n = int(value)
    if n < 0:
        raise EstimationError(f"{name}: line {i + 2}: count {n} is negative")
    pattern = tuple(int(columns[h][i]) for h in lists)
    if n > 0 and not any(pattern):
        raise EstimationError(
            f"{name}: line {i + 2}: {n} persons on no list; the all-zero pattern is what is estimated, not observed"
        )
    return pattern, tuple(columns[h][i] for h in strata), n


def _check_rows(rows: list[tuple[tuple[int, ...], tuple[str, ...], int]], name: str) -> None:
    seen: dict[tuple[tuple[int, ...], tuple[str, ...]], int] = {}
    for i, (pattern, strata, _) in enumerate(rows, start=2):
        key = (pattern, strata)
        if key in seen:
            where = f" in stratum {', '.join(strata)}" if strata else ""
            raise EstimationError(f"{name}: line {i} repeats the pattern {pattern}{where} of line {seen[key]}")
        seen[key] = i
    if sum(n for _, _, n in rows) == 0:
        raise EstimationError(f"{name}: no persons in the overlap table (all counts are 0)")
