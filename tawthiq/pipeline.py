"""The main job: files → documents → claims → incidents, in the store.

Each file is one transaction: its document, captions, cleaning removals and claims are written together or not at all.
A file that cannot be read is reported (one line naming the file and the reason) and the others go on. Re-ingesting a
file already in the store (same SHA-256 of its bytes) changes nothing.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tawthiq.errors import IngestError
from tawthiq.evidence import Custody, record_event, seal, store_original
from tawthiq.extract.attribution import SourceRegistry
from tawthiq.extract.claims import extract_claims
from tawthiq.extract.context import infer_publication
from tawthiq.extract.dates import DateContext
from tawthiq.group.incidents import group_incidents
from tawthiq.ingest.clean import Cleaned, clean_text
from tawthiq.ingest.fingerprint import CopyIndex
from tawthiq.ingest.language import detect_language
from tawthiq.ingest.readers import RawDocument, read_document
from tawthiq.model import Caption, Claim, Document, Incident, Source, SourceType
from tawthiq.store import Store, records
from tawthiq.store.connection import Connection

# Files in an input folder that document the folder rather than report events.
NOT_REPORTS = ("readme", "license", "licence", "changelog", ".")


@dataclass(slots=True)
class IngestResult:
    added: list[tuple[str, int]] = field(default_factory=list)  # (path, claims)
    unchanged: list[str] = field(default_factory=list)  # already in the store
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why it is not a report)
    failed: list[IngestError] = field(default_factory=list)
    copies: list[tuple[str, str, float]] = field(default_factory=list)  # (path, original sha256, similarity)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest from files and folders (folders recursively, in name order), and what was left out and why."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.name.lower().startswith(NOT_REPORTS):
                skipped.append((str(child), "documentation or hidden file in an input folder, not a report"))
            else:
                files.append(child)
    return files, skipped


def ingest_paths(store: Store, paths: Iterable[Path], on_file: Callable[[Path], None] | None = None) -> IngestResult:
    """Ingest files and folders into ``store``, one transaction per file (call :func:`regroup` afterwards)."""
    files, skipped = expand(paths)
    result = IngestResult(skipped=skipped)
    copies = copy_index(store)
    for path in files:
        if on_file:
            on_file(path)
        try:
            _ingest_one(store, path, copies, result)
        except IngestError as e:
            result.failed.append(e)
    return result


def copy_index(store: Store) -> CopyIndex:
    """The originals already in the store (documents that are not copies), in the order they were ingested."""
    index = CopyIndex()
    for row in store.query("SELECT sha256, text FROM documents WHERE copy_of IS NULL ORDER BY id"):
        index.add(row["sha256"], row["text"])
    return index


@dataclass(slots=True)
class Prepared:
    """One document read, cleaned and with its claims extracted, not yet written: what a worker hands the writer.

    All of it follows from the input alone (no store, no other document), so any process can make it; whether the
    document is a copy of an earlier one depends on the order of documents and is decided where they are written.
    """

    name: str  # the path (or crawl-record name) reported and recorded
    data: bytes  # the original bytes, kept in the evidence vault
    url: str
    document: Document
    claims: list[Claim]


def prepare(raw: RawDocument) -> Prepared:
    """Clean a read document, infer its publication and extract its claims (pure: nothing is written)."""
    name = str(raw.path)
    cleaned = clean_text(raw.text, language="ar" if _mostly_arabic(raw.text) else "en")
    if not cleaned.text.strip():
        raise IngestError(name, "no text left after cleaning (only site chrome or navigation)")
    language = detect_language(cleaned.text)
    doc = _document(raw, cleaned, language)
    claims = extract_claims(doc.text, _context(doc), language=language, document_sha256=doc.sha256)
    return Prepared(name, raw.data, raw.url, doc, claims)


def write_prepared(conn: Connection, vault: Path, item: Prepared, copy: tuple[str, float] | None) -> int:
    """Write one prepared document, its claims, its original and its audit entries, inside the caller's transaction;
    ``copy`` is the earlier document it republishes and their similarity. Return the number of claims written."""
    doc = item.document
    doc.copy_of = copy[0] if copy else None
    doc_id = records.insert_document(conn, doc, item.data, copy[1] if copy else None)
    written = records.replace_claims(conn, doc_id, item.claims)
    custody = Custody(collected_by=_operator(), tool="tawthiq ingest", source_url=item.url,
                      device="" if item.url else f"local file {item.name}")
    store_original(conn, vault, item.data, custody, media_type=doc.media_type, kind="document",
                   original_name=Path(item.name).name)
    record_event(conn, "ingest", doc.sha256, {"path": item.name, "media_type": doc.media_type,
                                              "copy_of": doc.copy_of})
    record_event(conn, "extraction", doc.sha256, {"claims": written})
    return written


def _ingest_one(store: Store, path: Path, copies: CopyIndex, result: IngestResult) -> None:
    raw = read_document(path)
    with store.transaction() as conn:
        if records.document_id(conn, raw.sha256) is not None:
            result.unchanged.append(str(path))
            return
    item = prepare(raw)
    copy = copies.find_copy(item.document.text)
    if copy is not None:
        result.copies.append((str(path), copy[0], copy[1]))
    with store.transaction() as conn:
        written = write_prepared(conn, store.vault, item, copy)
    if copy is None:
        copies.add(item.document.sha256, item.document.text)
    result.added.append((str(path), written))


_ARABIC_BLOCK = re.compile("[\u0600-\u06ff]")  # every code point of the block, letter or not


def _mostly_arabic(text: str, sample: int = 4000) -> bool:
    """A cheap script test that picks the cleaning rules before the language is detected on the cleaned text."""
    head = text[:sample]
    letters = sum(map(str.isalpha, head)) or 1  # C loops: this runs on every document
    return len(_ARABIC_BLOCK.findall(head)) / letters > 0.3


def _document(raw: RawDocument, cleaned: Cleaned, language: str) -> Document:
    captions = [*raw.captions, *cleaned.captions]  # HTML <figcaption>s, and caption lines found in the text
    for caption in captions:
        caption.language = detect_language(caption.text)
    publication = infer_publication(cleaned.text, [c.date for c in captions if c.date], raw.published_at)
    note = publication.note if raw.published_at is None else (raw.published_note or publication.note)
    return Document(
        sha256=raw.sha256, path=str(raw.path), media_type=raw.media_type, text=cleaned.text,
        title=cleaned.title or raw.title, url=raw.url, language=language,
        source=publisher(raw, cleaned, captions), published_at=publication.published,
        published_prec=publication.prec, published_inferred=publication.inferred, published_note=note,
        not_before=publication.not_before, not_after=publication.not_after, captions=captions,
        removed=list(cleaned.removed),
    )


def _context(doc: Document) -> DateContext:
    return DateContext(published=doc.published_at, not_before=doc.not_before, not_after=doc.not_after,
                       event_year=None)


def publisher(raw: RawDocument, cleaned: Cleaned, captions: list[Caption]) -> Source | None:
    """The publisher: a syndication footer, else the site name, else the outlet credited for most captions."""
    registry = SourceRegistry.load()
    name: str | None = cleaned.syndication or raw.site_name
    if not name:
        credits = [k.name for c in captions for k, _, _ in registry.find(c.credit) if k.type == SourceType.MEDIA]
        name = max(set(credits), key=credits.count) if credits else None
    if not name:
        return None
    known = registry.get(name)
    if known:
        return Source(known.name, known.type, known.scale)
    return Source(name, SourceType.MEDIA, "")


def regroup(store: Store) -> list[Incident]:
    """Recompute incidents from all claims, in one transaction."""
    with store.transaction() as conn:
        claims = records.load_claims(conn)
        incidents = group_incidents(claims, records.document_sources(conn))
        records.replace_incidents(conn, incidents)
        record_event(conn, "regroup", "incidents", {"incidents": len(incidents), "claims": len(claims)})
        seal(conn, "after regroup")
    return incidents


def load_incidents(store: Store) -> list[Incident]:
    """The incidents as last grouped, without regrouping (nothing is written)."""
    with store.transaction() as conn:
        claims = records.load_claims(conn)
        incidents = group_incidents(claims, records.document_sources(conn))
    return incidents


def _operator() -> str:
    """Who runs the job, for the custody record (the account name; never a witness's)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
