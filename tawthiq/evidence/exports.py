"""Exports with provenance: a public one (redacted, aggregated) and an evidentiary one (originals and their trail).

**Public** (one JSON file): items by hash with their public source URLs and verification conclusions; testimonies and
witnesses only as counts per incident and per governorate, with every count under ``min_cell`` suppressed (and one more
cell when a single suppressed cell could be recovered from the total). No collector names, devices, pseudonyms or
identities. A testimony's text is included only when asked for by pseudonym *and* the witness consented to
publication; the witness's own name is replaced by the pseudonym in it.

**Evidentiary** (a folder): ``originals/<sha256>``, ``audit.jsonl`` (the chain up to the export), and
``manifest.json`` listing every file with its hash, each item's custody trail, metadata and verification steps.
``manifest.sha256`` holds the manifest's hash, which is also written to the store's audit log, so an edited manifest
is caught either way. Testimonies go in only with court consent; identities only when also asked for explicitly.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

from tawthiq.errors import EvidenceError, ExportError, ProtectionError
from tawthiq.evidence import audit, protect, verification
from tawthiq.evidence.vault import Custody, Problem, add_custody, custody_trail, file_sha256, original_path
from tawthiq.files import holds_data
from tawthiq.store.connection import Connection

PUBLIC_FORMAT = "tawthiq-public/1"
EVIDENTIARY_FORMAT = "tawthiq-evidentiary/1"
DEFAULT_MIN_CELL = 5


def _dump(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _write_atomic(path: Path, data: bytes, overwrite: bool) -> None:
    if holds_data(path) and not overwrite:
        raise ExportError(f"{path}: already exists; give --overwrite to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def suppress(counts: dict[str, int], min_cell: int) -> dict[str, int | str]:
    """Counts with every cell under ``min_cell`` shown as ``"<min_cell"``; if one cell alone is suppressed, the next
    smallest is too, so that the published total cannot give it back."""
    small = {k for k, v in counts.items() if 0 < v < min_cell}
    if len(small) == 1:
        rest = sorted((v, k) for k, v in counts.items() if k not in small and v > 0)
        if rest:
            small.add(rest[0][1])
    return {k: (f"<{min_cell}" if k in small else v) for k, v in sorted(counts.items())}


def _aggregates(conn: Connection, min_cell: int) -> dict[str, object]:
    by_incident = dict(conn.execute(
        "SELECT incident_key, count(*) FROM testimonies WHERE text_ct IS NOT NULL GROUP BY incident_key").fetchall())
    by_area = dict(conn.execute(
        "SELECT admin1, count(*) FROM witnesses WHERE identity_ct IS NOT NULL GROUP BY admin1").fetchall())
    return {
        "min_cell": min_cell,
        "testimonies_total": sum(by_incident.values()),
        "testimonies_by_incident": suppress({k or "(none)": v for k, v in by_incident.items()}, min_cell),
        "witnesses_total": sum(by_area.values()),
        "witnesses_by_admin1": suppress({k or "(unknown)": v for k, v in by_area.items()}, min_cell),
    }


def _public_items(conn: Connection) -> list[dict[str, object]]:
    items = []
    for sha, kind, media_type, size in conn.execute(
            "SELECT sha256, kind, media_type, size FROM evidence_items ORDER BY id").fetchall():
        urls = sorted({str(c["source_url"]) for c in custody_trail(conn, sha) if c["source_url"]})
        items.append({"sha256": sha, "kind": kind, "media_type": media_type, "size": size, "source_urls": urls,
                      "verification": verification.summary(conn, sha)})
    return items


def _published_testimonies(conn: Connection, key: protect.Key | None,
                           chosen: Sequence[str]) -> list[dict[str, object]]:
    if not chosen:
        return []
    for pseudonym in chosen:
        protect.require_consent(conn, pseudonym, "publication")
    if key is None:
        raise ProtectionError("publishing a testimony needs the key to read it", hint=protect.KEY_HINT)
    out: list[dict[str, object]] = []
    for pseudonym in chosen:
        identity = protect.reveal_identity(conn, key, pseudonym, by="export", purpose="publication redaction")
        for t in protect.testimonies(conn, key, pseudonym):
            text = _redact(t.text.reveal(), identity, pseudonym)
            out.append({"pseudonym": pseudonym, "incident_key": t.incident_key, "language": t.language, "text": text})
    return out


def _redact(text: str, identity: protect.Identity, pseudonym: str) -> str:
    """Replace the witness's name and contact, whole and each part of three characters or more, by the pseudonym.

    One pass over the text, longest value first, so that a replacement is never itself searched again (a
    contact part such as ``123`` must not be found inside an inserted pseudonym ``W-…0123``)."""
    parts = {part for value in (identity.name.reveal(), identity.contact.reveal()) if value
             for part in (value, *value.split()) if len(part) >= 3}
    if not parts:
        return text
    pattern = re.compile("|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True)))
    return pattern.sub(f"[{pseudonym}]", text)


def public_export(conn: Connection, out: Path, *, min_cell: int = DEFAULT_MIN_CELL,
                  testimonies_of: Sequence[str] = (), key: protect.Key | None = None,
                  overwrite: bool = False) -> dict[str, object]:
    """Write the public export to ``out`` and record it in the audit log (caller's transaction); return it."""
    if min_cell < 2:
        raise ExportError(f"minimum cell size {min_cell}: must be 2 or more (5 or more is usual)")
    head_seq, head_hash = audit.head(conn)
    data: dict[str, object] = {
        "format": PUBLIC_FORMAT, "created_at": audit.utc_now(), "items": _public_items(conn),
        "aggregates": _aggregates(conn, min_cell),
        "testimonies": _published_testimonies(conn, key, testimonies_of),
        "audit_head": {"seq": head_seq, "hash": head_hash},
    }
    payload = _dump(data)
    if key is not None:
        _refuse_leaks(conn, key, payload)
    _write_atomic(out, payload, overwrite)
    audit.record_event(conn, "export.public", out.name, {"sha256": hashlib.sha256(payload).hexdigest(),
                                                          "min_cell": min_cell, "testimonies": list(testimonies_of)})
    return data


def _refuse_leaks(conn: Connection, key: protect.Key, payload: bytes) -> None:
    """Defence in depth: no witness name or contact (of 3+ characters) may appear anywhere in a public export."""
    text = payload.decode("utf-8")
    for pseudonym, blob, key_id in conn.execute(
            "SELECT pseudonym, identity_ct, key_id FROM witnesses WHERE identity_ct IS NOT NULL").fetchall():
        if key_id != key.id:
            continue
        ident = json.loads(key.decrypt(bytes(blob), protect.identity_aad(pseudonym), f"witness {pseudonym}"))
        for value in (ident.get("name", ""), ident.get("contact", "")):
            if len(value) >= 3 and value in text:
                raise ProtectionError(f"public export refused: it would contain a protected value of {pseudonym}")


# --- evidentiary -------------------------------------------------------------------------------------------------

def _empty_target(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out}: exists and is not an empty folder; an evidentiary export needs a fresh one")


def item_record(conn: Connection, sha: str) -> dict[str, object]:
    row = conn.execute("SELECT size, media_type, kind, original_name, stored_at FROM evidence_items "
                       "WHERE sha256 = ?", (sha,)).fetchone()
    if row is None:
        raise EvidenceError(f"item {sha}: not in the vault")
    meta = conn.execute("SELECT * FROM media_metadata WHERE item_sha256 = ?", (sha,)).fetchone()
    hashes = conn.execute("SELECT frame, time_s, phash, dhash FROM media_hashes WHERE item_sha256 = ? ORDER BY frame",
                          (sha,)).fetchall()
    derived = conn.execute("SELECT derived_sha256, kind, tool, created_at FROM derived_copies "
                           "WHERE original_sha256 = ? ORDER BY id", (sha,)).fetchall()
    return {
        "sha256": sha, "size": row[0], "media_type": row[1], "kind": row[2], "original_name": row[3],
        "stored_at": row[4], "file": f"originals/{sha}", "custody": custody_trail(conn, sha),
        "metadata": dict(zip(meta.keys(), tuple(meta), strict=True)) if meta else None,
        "perceptual_hashes": [list(h) for h in hashes],
        "derived": [dict(zip(("sha256", "kind", "tool", "created_at"), d, strict=True)) for d in derived],
        "verification": [asdict(s) for s in verification.steps(conn, sha)],
    }


def _court_testimonies(conn: Connection, key: protect.Key | None, chosen: Sequence[str],
                       identities: bool, by: str) -> list[dict[str, object]]:
    if identities and not chosen:
        raise ProtectionError("--with-identities needs the witnesses named with --testimony")
    for pseudonym in chosen:
        protect.require_consent(conn, pseudonym, "court")
    if chosen and key is None:
        raise ProtectionError("exporting testimonies needs the key to read them", hint=protect.KEY_HINT)
    out = []
    for pseudonym in chosen:
        assert key is not None
        entry: dict[str, object] = {"pseudonym": pseudonym, "testimonies": [
            {"id": t.id, "incident_key": t.incident_key, "language": t.language, "recorded_at": t.recorded_at,
             "text": t.text.reveal()} for t in protect.testimonies(conn, key, pseudonym)]}
        if identities:
            ident = protect.reveal_identity(conn, key, pseudonym, by=by, purpose="transfer to a court")
            entry["identity"] = {"name": ident.name.reveal(), "contact": ident.contact.reveal()}
        out.append(entry)
    return out


def evidentiary_export(conn: Connection, root: Path, out: Path, *, exported_by: str,
                       items: Iterable[str] | None = None, testimonies_of: Sequence[str] = (),
                       with_identities: bool = False, key: protect.Key | None = None) -> dict[str, object]:
    """Write the evidentiary export to the empty folder ``out``; record custody and the audit entry (caller's tx)."""
    if not exported_by.strip():
        raise ExportError("who makes the export is missing (--by)")
    _empty_target(out)
    chosen = list(items) if items is not None else [r[0] for r in conn.execute(
        "SELECT sha256 FROM evidence_items ORDER BY id")]
    records = [item_record(conn, sha) for sha in chosen]
    court = _court_testimonies(conn, key, testimonies_of, with_identities, exported_by)
    chain = audit.entries(conn)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent if out.parent.exists() else None))
    try:
        files = _stage_files(root, staging, chosen, chain, court)
        manifest: dict[str, object] = {
            "format": EVIDENTIARY_FORMAT, "created_at": audit.utc_now(), "exported_by": exported_by,
            "items": records, "testimonies": "testimonies.json" if court else None,
            "audit": {"file": "audit.jsonl", "first_seq": chain[0].seq if chain else 0,
                      "head_seq": chain[-1].seq if chain else 0,
                      "head_hash": chain[-1].hash if chain else audit.GENESIS},
            "files": files,
        }
        payload = _dump(manifest)
        digest = hashlib.sha256(payload).hexdigest()
        (staging / "manifest.json").write_bytes(payload)
        (staging / "manifest.sha256").write_text(f"{digest}  manifest.json\n", encoding="ascii")
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for sha in chosen:
        add_custody(conn, sha, Custody(exported_by, "tawthiq evidence export", device="evidentiary export",
                                       action="exported", note=f"manifest {digest}"))
    audit.record_event(conn, "export.evidentiary", out.name, {"manifest_sha256": digest, "items": len(chosen),
                                                              "testimonies": list(testimonies_of),
                                                              "identities": with_identities})
    return manifest


def _stage_files(root: Path, staging: Path, chosen: list[str], chain: list[audit.Entry],
                 court: list[dict[str, object]]) -> dict[str, str]:
    files: dict[str, str] = {}
    (staging / "originals").mkdir()
    for sha in chosen:
        source = original_path(root, sha)
        if not source.is_file() or file_sha256(source) != sha:
            raise EvidenceError(f"original {sha}: missing or altered in the vault; the export is refused",
                                hint="run `tawthiq evidence verify` and restore the original from a backup")
        shutil.copyfile(source, staging / "originals" / sha)
        files[f"originals/{sha}"] = sha
    lines = b"".join(json.dumps(e.as_dict(), ensure_ascii=False, sort_keys=True).encode() + b"\n" for e in chain)
    (staging / "audit.jsonl").write_bytes(lines)
    files["audit.jsonl"] = hashlib.sha256(lines).hexdigest()
    if court:
        data = _dump(court)
        (staging / "testimonies.json").write_bytes(data)
        files["testimonies.json"] = hashlib.sha256(data).hexdigest()
    return files


def verify_export(out: Path, conn: Connection | None = None) -> list[Problem]:
    """Check an evidentiary export against its manifest (and, given the store, against the store's audit log)."""
    manifest_path = out / "manifest.json"
    try:
        payload = manifest_path.read_bytes()
        manifest = json.loads(payload)
    except (OSError, ValueError) as e:
        return [Problem("manifest.json", f"missing or not JSON in {out} ({e})")]
    problems: list[Problem] = []
    digest = hashlib.sha256(payload).hexdigest()
    recorded = (out / "manifest.sha256").read_text(encoding="ascii").split()[0] if (
        out / "manifest.sha256").is_file() else ""
    if recorded != digest:
        problems.append(Problem("manifest.json", "its hash differs from manifest.sha256 (the manifest was edited)"))
    if manifest.get("format") != EVIDENTIARY_FORMAT:
        problems.append(Problem("manifest.json", f"unknown format {manifest.get('format')!r}"))
    files: dict[str, str] = manifest.get("files", {})
    problems.extend(_check_files(out, files))
    problems.extend(_check_items(manifest.get("items", []), files))
    problems.extend(_check_audit_segment(out, manifest.get("audit", {})))
    if conn is not None:
        known = {json.loads(r[0]).get("manifest_sha256") for r in conn.execute(
            "SELECT detail FROM audit_log WHERE action = 'export.evidentiary'")}
        if digest not in known:
            problems.append(Problem("manifest.json", "this manifest's hash is not in the store's audit log"))
    return problems


def _check_files(out: Path, files: dict[str, str]) -> list[Problem]:
    problems = []
    for rel, sha in sorted(files.items()):
        path = out / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            problems.append(Problem(rel, "a path outside the export"))
        elif not path.is_file():
            problems.append(Problem(rel, "listed in the manifest but missing"))
        elif file_sha256(path) != sha:
            problems.append(Problem(rel, "altered: its hash differs from the manifest"))
    listed = set(files) | {"manifest.json", "manifest.sha256"}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if rel not in listed:
            problems.append(Problem(rel, "not in the manifest (added after the export)"))
    return problems


def _check_items(items: list[dict[str, object]], files: dict[str, str]) -> list[Problem]:
    problems = []
    for item in items:
        sha = str(item.get("sha256"))
        if files.get(f"originals/{sha}") != sha:
            problems.append(Problem(f"item {sha}", "its original is not listed under its own hash"))
        if not item.get("custody"):
            problems.append(Problem(f"item {sha}", "no custody trail"))
    return problems


def _check_audit_segment(out: Path, meta: dict[str, object]) -> list[Problem]:
    path = out / str(meta.get("file", "audit.jsonl"))
    try:
        chain = [audit.Entry(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
    except (OSError, ValueError, TypeError) as e:
        return [Problem(path.name, f"unreadable audit segment ({e})")]
    first = int(str(meta.get("first_seq", 1)) or 1) or 1
    start_prev = chain[0].prev_hash if chain and first > 1 else audit.GENESIS
    report = audit.verify_entries(chain, start_seq=first, start_prev=start_prev)
    if not report.ok:
        return [Problem(path.name, str(report.broken))]
    if report.head_hash != meta.get("head_hash") or report.head_seq != meta.get("head_seq"):
        return [Problem(path.name, "its last entry is not the head named in the manifest (entries were cut off)")]
    return []
