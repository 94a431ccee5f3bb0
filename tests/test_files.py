"""tawthiq.files: the separator of a delimited text as spreadsheets write it."""

from __future__ import annotations

import pytest

from tawthiq.files import field_separator


@pytest.mark.parametrize(("text", "separator"), [
    ("a,b,count\n1,0,5\n", ","),
    ("\n\na;b;count\n1;0;5\n", ";"),  # blank lines before the header
    ("a\tb\tcount\n", "\t"),
    ("name;date, place;count\n", ";"),  # a comma inside a column name does not outvote the separator
    ("count\n5\n", ","),  # one column: nothing to tell, a comma
    ("", ","),
])
def test_the_commonest_separator_of_the_first_line(text: str, separator: str) -> None:
    assert field_separator(text) == separator
