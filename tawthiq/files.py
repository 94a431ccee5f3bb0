"""Files people hand us and files we write: the field separator of a delimited text, and when writing over an
existing file could lose something."""

from __future__ import annotations

from pathlib import Path


def holds_data(path: Path) -> bool:
    """Whether replacing ``path`` could lose anything: it exists and is not empty (an empty file, such as one a
    caller made with ``mktemp`` to receive the output, is written over without --overwrite)."""
    try:
        return path.stat().st_size > 0 or not path.is_file()
    except FileNotFoundError:
        return False


def field_separator(text: str) -> str:
    """The separator of a delimited text (CSV): the commonest of comma, semicolon and tab in its first non-empty line,
    a comma when there is none. Spreadsheets save "CSV" with semicolons where the decimal mark is a comma, and
    "Unicode text" with tabs."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((",", ";", "\t"), key=first.count)
