"""Backup and restore with integrity verification.

A backup is one tar file: a consistent snapshot of the database (SQLite's online backup API, so a running ingest is no
obstacle), every vault file, and ``backup-manifest.json`` holding the hash of each file, the content digest of every
table and the audit head. Ciphertexts stay ciphertexts: the key is not in a backup and must be kept separately.

Restore goes into an empty (or new) folder. Only the members the manifest names are read, each checked against its
hash; then the restored database is opened read-only, ``PRAGMA integrity_check`` run, every table digest compared with
the manifest and the audit chain verified. Everything happens in a staging folder that is renamed into place only when
all checks pass, so a failed restore leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tawthiq.errors import EvidenceError
from tawthiq.evidence import audit
from tawthiq.evidence.vault import file_sha256, vault_root
from tawthiq.files import holds_data
from tawthiq.store.database import sqlite_read_only
from tawthiq.store.digest import content_digests

FORMAT = "tawthiq-backup/1"
MANIFEST = "backup-manifest.json"


@dataclass(slots=True)
class RestoreReport:
    db: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    audit_entries: int = 0
    problems: list[str] = field(default_factory=list)


def _snapshot(db_path: Path, dest: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise EvidenceError(f"{db_path}: cannot open the store to back it up ({e})") from e
    try:
        target = sqlite3.connect(dest)
        with target:
            source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        target.close()
    except sqlite3.Error as e:
        raise EvidenceError(f"{db_path}: the snapshot failed ({e})") from e
    finally:
        source.close()


def _describe(db: Path) -> dict[str, object]:
    with sqlite_read_only(db) as conn:
        tables = {name: d.as_dict() for name, d in content_digests(conn).items()}
        seq, digest = audit.head(conn) if "audit_log" in tables else (0, audit.GENESIS)
    return {"tables": tables, "audit_head": {"seq": seq, "hash": digest}}


def backup(db_path: Path, out: Path, *, overwrite: bool = False) -> dict[str, object]:
    """Write a verified backup of the store at ``db_path`` and its vault to the tar ``out``; return its manifest."""
    if not db_path.is_file():
        raise EvidenceError(f"{db_path}: no store there to back up")
    if holds_data(out) and not overwrite:
        raise EvidenceError(f"{out}: already exists; give --overwrite to replace it")
    root = vault_root(db_path)
    with tempfile.TemporaryDirectory(prefix="tawthiq-backup-") as tmp:
        snapshot = Path(tmp) / db_path.name
        _snapshot(db_path, snapshot)
        files = {db_path.name: file_sha256(snapshot)}
        vault_files = sorted(p for p in root.glob("??/*") if p.is_file() and not p.name.startswith(".")) \
            if root.is_dir() else []
        for path in vault_files:
            digest = file_sha256(path)
            if digest != path.parent.name + path.name:
                raise EvidenceError(f"vault file {path}: altered (its hash no longer matches its name); "
                                    "the backup is refused", hint="restore that original from an earlier backup")
            files[f"{root.name}/{path.parent.name}/{path.name}"] = digest
        manifest = {"format": FORMAT, "created_at": audit.utc_now(), "db": db_path.name, "vault": root.name,
                    "files": files, **_describe(snapshot)}
        payload = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
        partial = Path(tmp) / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, payload)
            tar.add(snapshot, arcname=db_path.name, recursive=False)
            for path in vault_files:
                tar.add(path, arcname=f"{root.name}/{path.parent.name}/{path.name}", recursive=False)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(partial), str(out.with_name(out.name + ".partial")))
        os.replace(out.with_name(out.name + ".partial"), out)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o444
    tar.addfile(info, io.BytesIO(data))


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, object]:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, ValueError) as e:
        raise EvidenceError(f"{archive}: not a Tawthiq backup (no readable {MANIFEST})") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise EvidenceError(f"{archive}: unknown backup format")
    return manifest


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _extract(tar: tarfile.TarFile, archive: Path, files: dict[str, str], staging: Path) -> None:
    seen = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name not in files or not member.isfile() or not _safe_name(member.name):
            raise EvidenceError(f"{archive}: member {member.name!r} is not in the manifest (refused)")
        handle = tar.extractfile(member)
        if handle is None:
            raise EvidenceError(f"{archive}: member {member.name!r} cannot be read")
        target = staging / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        with target.open("wb") as f:
            for block in iter(lambda: handle.read(1 << 20), b""):  # noqa: B023
                h.update(block)
                f.write(block)
        os.chmod(target, 0o444)
        if h.hexdigest() != files[member.name]:
            raise EvidenceError(f"{archive}: {member.name} is damaged (its hash differs from the manifest)")
        seen.add(member.name)
    missing = sorted(set(files) - seen)
    if missing:
        raise EvidenceError(f"{archive}: {len(missing)} file(s) named in the manifest are missing, first {missing[0]}")


def _compare(db: Path, manifest: dict[str, object]) -> RestoreReport:
    report = RestoreReport(db=db)
    with sqlite_read_only(db) as conn:
        check = conn.scalar("PRAGMA integrity_check")
        if check != "ok":
            report.problems.append(f"integrity_check: {check}")
        expected: dict[str, dict[str, object]] = manifest["tables"]  # type: ignore[assignment]
        actual = {name: d.as_dict() for name, d in content_digests(conn).items()}
        for table in sorted(set(expected) | set(actual)):
            if expected.get(table) != actual.get(table):
                report.problems.append(f"table {table}: its content differs from the backup's digest")
        report.tables = len(actual)
        report.rows = sum(int(str(d["rows"])) for d in actual.values())
        if "audit_log" in actual:
            chain = audit.verify(conn)
            report.audit_entries = chain.entries
            if not chain.ok:
                report.problems.append(str(chain.broken))
    return report


def restore(archive: Path, into: Path) -> RestoreReport:
    """Restore a backup into the empty or new folder ``into``, verifying everything; nothing is left if it fails."""
    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise EvidenceError(f"{into}: not empty; restore only into an empty or new folder")
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 (closed by the `with tar` below)
    except (OSError, tarfile.TarError) as e:
        raise EvidenceError(f"{archive}: cannot read the backup ({e})") from e
    parent = into.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{into.name}.restoring-", dir=parent))
    try:
        with tar:
            manifest = _read_manifest(tar, archive)
            files: dict[str, str] = manifest["files"]  # type: ignore[assignment]
            _extract(tar, archive, files, staging)
        report = _compare(staging / str(manifest["db"]), manifest)
        if report.problems:
            raise EvidenceError(f"{archive}: the restored store fails verification: {report.problems[0]}")
        report.files = len(files)
        if into.exists():
            into.rmdir()
        os.replace(staging, into)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report.db = into / str(manifest["db"])
    return report
