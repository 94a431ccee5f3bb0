"""What an ingest at scale reads, and what a worker makes of each thing it reads.

An input is a file, a folder of files (read as ``tawthiq ingest`` reads them), or a file of crawled documents:

* ``*.jsonl`` / ``*.ndjson``: one JSON object per line (UTF-8, lines ending in ``\\n`` or ``\\r\\n``; blank lines
  are ignored);
* ``*.parquet``: one row per document.

A crawled document has these fields (others are ignored):

=================  ========================================================================================
``url``            required: where the page was fetched (recorded as the document's URL and in its custody)
``html``           the page as fetched, or
``text``           its text; one of the two is required (``html`` is used when both are given)
``published_at``   optional: ISO date or date-time (a time zone is converted to UTC), or a Parquet date or
                   timestamp; used only when the page itself states no publication date
``title``          optional: used only when the page itself has none
=================  ========================================================================================

The bytes kept as the document's original are the UTF-8 encoding of ``html`` (or ``text``); their SHA-256 is the
document's key, so the same page crawled twice is stored once. A record is named ``FILE#N``, N being its line in a
JSONL file or its row (from 1) in a Parquet file. A record that cannot be used is a :class:`Failure` naming it and
the reason; the records around it go on.

Every function here is pure and picklable, so that a Spark executor and the single process make exactly the same
items, and :func:`prepare_item` — read, clean, extract — gives the same result wherever it runs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tawthiq.errors import IngestError, UnreadableError
from tawthiq.ingest.readers import RawDocument, read_document
from tawthiq.pipeline import Prepared, expand, prepare

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
FIELDS = ("url", "html", "text", "published_at", "title")


@dataclass(frozen=True, slots=True)
class FileItem:
    """A file to read from a path every worker can reach."""

    name: str


@dataclass(frozen=True, slots=True)
class RecordItem:
    """A crawled document, its bytes carried with it."""

    name: str
    data: bytes
    suffix: str  # ".html" or ".txt": how the bytes are read
    url: str
    title: str = ""
    published_at: dt.date | None = None
    published_text: str = ""


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be used, and why (an IngestError's fields: exceptions do not travel well)."""

    name: str
    reason: str
    hint: str | None = None
    unreadable: bool = False

    @classmethod
    def of(cls, error: IngestError) -> Failure:
        return cls(error.path, error.reason, error.hint, isinstance(error, UnreadableError))

    def error(self) -> IngestError:
        kind = UnreadableError if self.unreadable else IngestError
        return kind(self.name, self.reason, hint=self.hint)


@dataclass(frozen=True, slots=True)
class Known:
    """An item whose document is already in the store (found by its SHA-256 before cleaning)."""

    name: str
    sha256: str


Item = FileItem | RecordItem
Outcome = Prepared | Known | Failure


@dataclass(frozen=True, slots=True)
class Files:
    paths: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class Jsonl:
    path: Path


@dataclass(frozen=True, slots=True)
class Parquet:
    path: Path


Source = Files | Jsonl | Parquet


@dataclass(slots=True)
class Plan:
    """The inputs in the order they are ingested, what was left out of folders and why, and unusable inputs."""

    sources: list[Source] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)


def is_record_file(path: Path) -> bool:
    """Whether ``path`` names a file of crawled documents (by its extension), not a document."""
    return Path(path).suffix.lower() in JSONL_SUFFIXES + PARQUET_SUFFIXES and not Path(path).is_dir()


def plan_inputs(paths: list[Path]) -> Plan:
    """Sort the inputs into sources, in the order given (a folder's files in name order, as ``expand`` lists them)."""
    plan = Plan()
    files: list[Path] = []
    for path in map(Path, paths):
        if not is_record_file(path):
            found, skipped = expand([path])
            files.extend(found)
            plan.skipped.extend(skipped)
            continue
        if files:
            plan.sources.append(Files(tuple(files)))
            files = []
        if not path.is_file():
            plan.failed.append(Failure(str(path), "file of crawled documents not found", "check the path"))
        elif path.suffix.lower() in JSONL_SUFFIXES:
            plan.sources.append(Jsonl(path))
        else:
            plan.sources.append(Parquet(path))
    if files:
        plan.sources.append(Files(tuple(files)))
    return plan


# --- crawl records -------------------------------------------------------------------------------------------------


def record_name(source: Path | str, number: int) -> str:
    return f"{source}#{number}"


def parse_jsonl_line(source: str, number: int, line: bytes) -> RecordItem | Failure | None:
    """The record on line ``number`` (from 1) of a JSONL file; None for a blank line."""
    name = record_name(source, number)
    try:
        text = line.decode("utf-8").strip()
    except UnicodeDecodeError:
        return Failure(name, "line is not UTF-8", "JSONL files are UTF-8", unreadable=True)
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        return Failure(name, f"not valid JSON ({e.msg} at column {e.colno})", unreadable=True)
    if not isinstance(value, dict):
        return Failure(name, f"a JSON {type(value).__name__}, not an object with url and html or text")
    return record_from_mapping(name, value)


def record_from_mapping(name: str, record: Mapping[str, object]) -> RecordItem | Failure:
    """A crawl record (JSON object or Parquet row) checked and made into an item; every problem is reported."""
    problems: list[str] = []
    url = record.get("url")
    if not isinstance(url, str) or not url.strip():
        problems.append("no 'url'")
    body, suffix = _body(record, problems)
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        problems.append("'title' is not a string")
    published, published_text = _published(record.get("published_at"), problems)
    if problems:
        return Failure(name, "; ".join(problems), hint="a crawl record needs 'url' and 'html' or 'text' (strings)")
    assert isinstance(url, str)
    return RecordItem(name, body.encode("utf-8"), suffix, url.strip(), title if isinstance(title, str) else "",
                      published, published_text)


def _body(record: Mapping[str, object], problems: list[str]) -> tuple[str, str]:
    for key, suffix in (("html", ".html"), ("text", ".txt")):
        value = record.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            problems.append(f"'{key}' is not a string")
            return "", suffix
        return value, suffix
    problems.append("no 'html' or 'text'")
    return "", ".txt"


def _published(value: object, problems: list[str]) -> tuple[dt.date | None, str]:
    """A publication date from an ISO string, a date or a date-time (converted to UTC when it has a time zone)."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, str):
        try:
            parsed: dt.date = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            problems.append(f"'published_at' {value[:40]!r} is not an ISO date")
            return None, ""
        text = value.strip()
    elif isinstance(value, dt.date):
        parsed, text = value, value.isoformat()
    else:
        problems.append(f"'published_at' is a {type(value).__name__}, not a date")
        return None, ""
    if isinstance(parsed, dt.datetime):
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.UTC)
        parsed = parsed.date()
    return parsed, text


def iter_jsonl(path: Path) -> Iterator[RecordItem | Failure]:
    """The records of a JSONL file, in line order (the single-process reader; Spark reads the lines itself)."""
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            item = parse_jsonl_line(str(path), number, line)
            if item is not None:
                yield item


def parquet_columns(path: Path) -> list[str] | Failure:
    """The crawl fields a Parquet file has, or why it cannot be used (checked on the driver for both engines)."""
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception as e:  # pyarrow raises several types for a file that is not Parquet
        return Failure(str(path), f"not a readable Parquet file ({' '.join(str(e).split())[:160]})", unreadable=True)
    columns = [f for f in FIELDS if f in names]
    if "url" not in columns or not {"html", "text"} & set(columns):
        return Failure(str(path), f"Parquet columns {names[:8]} lack 'url' and 'html' or 'text'",
                       hint="a crawl file needs the columns url and html or text")
    return columns


def iter_parquet(path: Path, columns: list[str], batch_rows: int = 256) -> Iterator[RecordItem | Failure]:
    """The records of a Parquet file, in row order (the single-process reader)."""
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=columns):
        for row in batch.to_pylist():
            number += 1
            yield record_from_mapping(record_name(path, number), row)


# --- what a worker does with an item -------------------------------------------------------------------------------


def read_item(item: Item) -> RawDocument:
    """Read an item as ``tawthiq ingest`` reads a file; a record's own url, title and date fill what the page lacks."""
    if isinstance(item, FileItem):
        return read_document(Path(item.name))
    raw = _read_bytes(item.name, item.data, item.suffix)
    raw.url = item.url
    raw.title = raw.title or item.title
    if raw.published_at is None and item.published_at is not None:
        raw.published_at = item.published_at
        raw.published_note = f"from the crawl record's published_at ({item.published_text})"
    return raw


def _read_bytes(name: str, data: bytes, suffix: str) -> RawDocument:
    """The reader works on files: the bytes go through a temporary file, and errors name the record."""
    handle, temporary = tempfile.mkstemp(prefix="tawthiq-record-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        raw = read_document(Path(temporary))
    except IngestError as e:
        raise type(e)(name, e.reason, hint=e.hint) from None
    finally:
        os.unlink(temporary)
    raw.path = Path(name)
    return raw


def prepare_item(item: Item | Failure, known: Container[str] = frozenset()) -> Outcome:
    """Read, clean and extract one item; :class:`Known` when its bytes are in ``known`` (SHA-256s of stored ones)."""
    if isinstance(item, Failure):
        return item
    try:
        raw = read_item(item)
        if raw.sha256 in known:
            return Known(item.name, raw.sha256)
        return prepare(raw)
    except IngestError as e:
        return Failure.of(e)
