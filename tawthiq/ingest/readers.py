"""Readers: the bytes of a file made into text and what the file says about its publication.

``read_document(path)`` sniffs the media type from the content (the extension is only a tie-breaker), then:

* plain text is decoded as UTF-8 (with or without a BOM), UTF-16/32 with a BOM, or else the legacy code page that
  fits best among those used for Arabic, Turkish and Western European text (cp1256, cp1252 ...); the encoding used is
  recorded in ``RawDocument.encoding``;
* HTML is decoded the same way (its declared charset first), its main text extracted with trafilatura, its metadata
  read from the page: title, canonical URL, site name and the publication date from an explicit meta tag
  (``article:published_time`` and equivalents) only, never guessed from the URL or from dated links on the page;
* PDF text is extracted page by page with pypdf, ``pages[i]`` giving the ``[start, end)`` offsets of page ``i + 1``
  in ``text`` (offsets into the raw text: cleaning moves them).

Figure captions of an HTML page (which main-text extraction drops) are returned apart in ``captions``, parsed as
``clean_text`` parses captions in the body, never mixed into ``text``.

Anything else raises :class:`~tawthiq.errors.UnreadableError` with one reason: missing file, a directory, an empty
file, binary data, undecodable text, a broken, encrypted or text-less PDF, an HTML page without text.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml.html import HtmlElement
from pypdf import PdfReader

from tawthiq.errors import UnreadableError
from tawthiq.ingest.clean import parse_caption, strip_tag_residue
from tawthiq.model import Caption

TEXT = "text/plain"
HTML = "text/html"
PDF = "application/pdf"

_LEGACY_ENCODINGS = ["cp1256", "cp1252", "cp1254", "iso8859_6", "iso8859_9", "iso8859_15", "latin_1", "mac_arabic"]
_MAX_CONTROL_RATIO = 0.02
_SNIFF_BYTES = 4096
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF media file (WebP, WAV or AVI)"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt office file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "an executable (Windows)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc/.xls)"),
    (b"\x00\x00\x00\x18ftyp", "an MP4/MOV video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4/MOV video"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg media file"),
    (b"%!PS", "a PostScript file"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|h[1-6]|section|main)\b",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]{2,40})", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_PUBLISHED_META = (
    ("property", "article:published_time"),
    ("property", "og:article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publish-date"),
    ("name", "dc.date.issued"),
    ("name", "DC.date.issued"),
)


@dataclass(slots=True)
class RawDocument:
    """One file as read: original bytes and their hash, the extracted text and the page's own metadata."""

    path: Path
    sha256: str
    data: bytes
    media_type: str
    text: str
    title: str = ""
    url: str = ""
    published_at: dt.date | None = None
    published_note: str = ""
    site_name: str = ""
    pages: list[tuple[int, int]] | None = None
    encoding: str = ""
    captions: list[Caption] = field(default_factory=list)


def read_document(path: Path) -> RawDocument:
    """Read one file into a :class:`RawDocument`, or raise UnreadableError naming the file and the reason."""
    path = Path(path)
    data = _read_bytes(path)
    sha = hashlib.sha256(data).hexdigest()
    head = data[:_SNIFF_BYTES]
    if b"%PDF-" in head[:1024]:
        text, pages = _pdf_text(path, data)
        return RawDocument(path, sha, data, PDF, text, pages=pages, published_note="PDF: no publication metadata read")
    _refuse_binary(path, data)
    encoding = _declared_charset(head)
    text, encoding = decode_text(path, data, encoding)
    if _HTML_START.match(text[:_SNIFF_BYTES]) or (
        path.suffix.lower() in {".html", ".htm", ".xhtml"} and "<" in text[:_SNIFF_BYTES]
    ):
        return _read_html(path, sha, data, text, encoding)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UnreadableError(str(path), "no text: the file holds only whitespace")
    return RawDocument(path, sha, data, TEXT, text, encoding=encoding, published_note="plain text: no metadata")


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes (what documents are keyed by)."""
    return hashlib.sha256(_read_bytes(Path(path))).hexdigest()


# --- bytes ---------------------------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise UnreadableError(str(path), "file not found", hint="check the path and that the file was not moved")
    if path.is_dir():
        raise UnreadableError(str(path), "is a directory, not a file", hint="pass the files inside it")
    if not path.is_file():
        raise UnreadableError(str(path), "not a regular file (a device, socket or pipe)")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableError(str(path), f"cannot be read: {e.strerror or e}") from e
    if not data:
        raise UnreadableError(str(path), "empty file (0 bytes)")
    return data


def _refuse_binary(path: Path, data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnreadableError(str(path), f"binary data ({what}), not a text, HTML or PDF document")
    if any(data.startswith(bom) for bom, _ in _BOMS) or _utf16_without_bom(data) is not None:
        return
    if b"\x00" in data[: _SNIFF_BYTES * 4]:
        raise UnreadableError(str(path), "binary data (contains NUL bytes), not a text, HTML or PDF document")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or '-be' for text saved as UTF-16 without a BOM: NULs at one byte parity only, and it decodes."""
    sample = data[: min(len(data), 2048) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even == odd or min(even, odd) > 0 or max(even, odd) < 0.1 * len(sample) / 2:
        return None
    encoding = "utf-16-le" if odd else "utf-16-be"
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return None
    strange = sum(1 for ch in text if unicodedata.category(ch) in {"Cc", "Cn", "Co", "Cs"} and ch not in "\t\n\r")
    return encoding if strange <= _MAX_CONTROL_RATIO * len(text) else None


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(path: Path, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes (a BOM, UTF-16 without one, UTF-8, a ``declared`` charset, else the likeliest legacy
    encoding: Arabic Windows-1256 and the others of ``_LEGACY_ENCODINGS``); return the text and the encoding used."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_as(path, data, name), name
    if (utf16 := _utf16_without_bom(data)) is not None:
        return _decode_as(path, data, utf16), utf16
    try:
        return _checked(path, data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared and declared.replace("-", "").replace("_", "") not in {"utf8", "utf16", "utf32"}:
        try:
            return _checked(path, data.decode(declared)), declared
        except (UnicodeDecodeError, LookupError):
            pass
    return _guess_legacy(path, data)


def _decode_as(path: Path, data: bytes, encoding: str) -> str:
    try:
        return _checked(path, data.decode(encoding))
    except UnicodeDecodeError as e:
        reason = f"undecodable text: starts with a {encoding} mark but is not {encoding}"
        raise UnreadableError(str(path), reason) from e


def _guess_legacy(path: Path, data: bytes) -> tuple[str, str]:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None:
        raise UnreadableError(
            str(path),
            "undecodable text: not UTF-8 and no supported legacy encoding fits",
            hint=f"re-save it as UTF-8 (tried {', '.join(_LEGACY_ENCODINGS)})",
        )
    return _checked(path, str(best)), best.encoding


def _checked(path: Path, text: str) -> str:
    """Refuse decoded 'text' that is mostly control characters (binary junk that happened to decode)."""
    sample = text[: _SNIFF_BYTES * 4]
    if sample and len(_CONTROL.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        raise UnreadableError(str(path), "binary data (too many control characters), not a text document")
    return text


# --- HTML ----------------------------------------------------------------------------------------------------------


def _read_html(path: Path, sha: str, data: bytes, text: str, encoding: str) -> RawDocument:
    try:
        tree = lxml.html.document_fromstring(text.lstrip("\ufeff").encode("utf-8"), parser=_html_parser())
    except Exception as e:  # lxml raises several types on junk; all mean the same here
        raise UnreadableError(str(path), f"broken HTML: {e}") from e
    published_at, note = _published(tree)
    title, url, site = _meta(tree)
    captions = _figure_captions(tree)
    body, meta = _main_text(tree)
    if not body.strip():
        raise UnreadableError(str(path), "HTML page has no readable text")
    return RawDocument(
        path=path,
        sha256=sha,
        data=data,
        media_type=HTML,
        text=body,
        title=strip_tag_residue(title or meta.get("title") or "").strip(),
        url=url or meta.get("url") or "",
        published_at=published_at,
        published_note=note,
        site_name=site or meta.get("sitename") or "",
        encoding=encoding,
        captions=captions,
    )


def _html_parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _meta_content(tree: HtmlElement, attribute: str, value: str) -> str:
    for element in tree.iter("meta"):
        if (element.get(attribute) or "").strip().lower() == value.lower():
            content = (element.get("content") or "").strip()
            if content:
                return content
    return ""


def _published(tree: HtmlElement) -> tuple[dt.date | None, str]:
    """The publication date from an explicit meta tag (or JSON-LD datePublished); never a guess."""
    for attribute, value in _PUBLISHED_META:
        content = _meta_content(tree, attribute, value)
        if content:
            return _iso_date(content, f"{value} meta")
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        match = re.search(r'"datePublished"\s*:\s*"([^"]{4,40})"', script.text)
        if match:
            return _iso_date(match.group(1), "JSON-LD datePublished")
    return None, "not stated in the page metadata (no article:published_time)"


def _iso_date(value: str, source: str) -> tuple[dt.date | None, str]:
    try:
        return dt.date.fromisoformat(value.strip()[:10]), f"from the {source} ({value.strip()})"
    except ValueError:
        return None, f"unreadable date in the {source}: {value.strip()[:40]!r}"


def _meta(tree: HtmlElement) -> tuple[str, str, str]:
    title = _meta_content(tree, "property", "og:title")
    if not title:
        node = tree.find(".//title")
        title = (node.text_content() if node is not None else "").strip()
    url = ""
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            url = link.get("href").strip()
            break
    url = url or _meta_content(tree, "property", "og:url")
    site = _meta_content(tree, "property", "og:site_name") or _meta_content(tree, "name", "application-name")
    return title, url, site


def _figure_captions(tree: HtmlElement) -> list[Caption]:
    """The page's figure captions (main-text extraction drops them); kept apart, never body text."""
    captions: list[Caption] = []
    for element in tree.iter("figcaption"):
        text = strip_tag_residue(" ".join(element.text_content().split()))
        if text:
            captions.append(parse_caption(text))
    return captions


def _main_text(tree: HtmlElement) -> tuple[str, dict[str, str]]:
    """The main text by trafilatura (with its metadata), or all visible block text when it finds none."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = trafilatura.bare_extraction(
                _copy_tree(tree),
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                favor_recall=True,
                deduplicate=False,
            )
        except Exception:  # trafilatura fails on odd pages in many ways; we fall back below
            result = None
    meta: dict[str, str] = {}
    body = ""
    if result is not None:
        found = result.as_dict() if hasattr(result, "as_dict") else dict(result)
        body = found.get("text") or ""
        meta = {k: str(found[k]) for k in ("title", "url", "sitename") if found.get(k)}
    if not body.strip():
        body = _visible_text(tree)
    return body, meta


def _copy_tree(tree: HtmlElement) -> HtmlElement:
    import copy

    return copy.deepcopy(tree)


def _visible_text(tree: HtmlElement) -> str:
    """Text of the block elements of a page, one per line, without scripts, styles and templates."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    lines: list[str] = []
    blocks = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote", "pre", "figcaption", "dd"}
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in blocks:
            continue
        line = " ".join(element.text_content().split())
        if line:
            lines.append(line)
    if not lines:
        for junk in root.iter("script", "style", "noscript", "template"):
            junk.text = ""
        lines = [" ".join(part.split()) for part in root.text_content().split("\n") if part.strip()]
    return "\n".join(lines)


# --- PDF -----------------------------------------------------------------------------------------------------------


def _pdf_text(path: Path, data: bytes) -> tuple[str, list[tuple[int, int]]]:
    """Text of a PDF page by page, pages separated by a blank line; offsets of each page in the text."""
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not _decrypt(reader):
                raise UnreadableError(
                    str(path), "encrypted PDF: cannot be read without its password", hint="ask for an open copy"
                )
            page_texts = [page.extract_text() or "" for page in reader.pages]
        except UnreadableError:
            raise
        except Exception as e:  # pypdf raises many types on broken files
            raise UnreadableError(str(path), f"broken PDF: {_short(e)}") from e
    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    offset = 0
    for number, page_text in enumerate(page_texts):
        if number:
            parts.append("\n\n")
            offset += 2
        page_text = page_text.replace("\x00", "")
        parts.append(page_text)
        pages.append((offset, offset + len(page_text)))
        offset += len(page_text)
    text = "".join(parts)
    if not text.strip():
        raise UnreadableError(
            str(path), "PDF has no extractable text (scanned images?)", hint="run OCR on it first (e.g. ocrmypdf)"
        )
    return text, pages


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's own warnings while it reads (a broken file gets one error line from us, not a log of it)."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _decrypt(reader: PdfReader) -> bool:
    """Open a PDF encrypted with an empty user password (common for 'protected' reports)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # a missing crypto backend or an unsupported scheme: treat as not openable
        return False


def _short(error: BaseException) -> str:
    message = " ".join(str(error).split()) or type(error).__name__
    return message[:160]
