"""Row digests are what audit seals and copies are checked against: their byte stream must never change."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from tawthiq.store.digest import row_digest

values = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.text(), st.binary(), st.booleans())


def reference_digest(columns: list[str], row: list[object]) -> str:
    """The encoding as first written (one update per typed value), kept here as the definition."""
    h = hashlib.sha256()
    for item in (x for pair in zip(columns, row, strict=True) for x in pair):
        if item is None:
            h.update(b"N;")
        elif isinstance(item, bool | int):
            h.update(b"I" + str(int(item)).encode() + b";")
        elif isinstance(item, float):
            h.update(b"F" + repr(item).encode() + b";")
        elif isinstance(item, str):
            data = item.encode("utf-8")
            h.update(b"S" + str(len(data)).encode() + b":" + data)
        else:
            data = bytes(item)  # type: ignore[call-overload]
            h.update(b"B" + str(len(data)).encode() + b":" + data)
    return h.hexdigest()


def test_a_known_row_keeps_its_digest() -> None:
    columns = ["id", "name", "best", "lat", "gone", "blob", "ar"]
    row = [7, "Baniyas", 1426, 35.18, None, b"\x00\xff", "مجزرة"]
    assert row_digest(columns, row) == reference_digest(columns, row)
    assert row_digest(columns, row) == "08935dadd14916fdb61eb8cb8acbb64d34f980b8f41571597ef35600feed232f"


@given(st.lists(st.tuples(st.text(min_size=1), values), max_size=12))
def test_the_digest_is_the_typed_encoding(pairs: list[tuple[str, object]]) -> None:
    columns, row = [c for c, _ in pairs], [v for _, v in pairs]
    assert row_digest(columns, row) == reference_digest(columns, row)
    if row:
        assert row_digest(columns, [*row[:-1], str(row[-1])]) != row_digest(columns, row) or isinstance(row[-1], str)
