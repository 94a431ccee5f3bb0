"""Backup and restore: a restore into an empty folder reproduces every table and file; a damaged backup is refused
and leaves nothing behind."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from tawthiq.errors import EvidenceError
from tawthiq.evidence import audit, backup, protect
from tawthiq.evidence.protect import Key
from tawthiq.evidence.vault import store_original, vault_root, verify_vault
from tawthiq.store import Store, open_store
from tawthiq.store.database import sqlite_read_only
from tawthiq.store.digest import content_digests
from tests.evidence.conftest import NAME, custody


def seed(store: Store, vault: Path, key: Key) -> None:
    with store.transaction() as conn:
        for i in range(3):
            store_original(conn, vault, f"original {i}".encode(), custody())
        conn.execute("INSERT INTO sources (name) VALUES ('SNHR')")
        pseudonym = protect.add_witness(conn, key, NAME, recorded_by="I", consents={"storage": True})
        protect.add_testimony(conn, key, pseudonym, "what I saw", recorded_by="I")
        audit.seal(conn)


def digests(db: Path) -> dict[str, object]:
    with sqlite_read_only(db) as conn:
        return {k: v.as_dict() for k, v in content_digests(conn).items()}


def test_restore_reproduces_the_record_exactly(estore: Store, vault: Path, db: Path, key: Key, tmp_path: Path) -> None:
    seed(estore, vault, key)
    archive = tmp_path / "b.tar"
    manifest = backup.backup(db, archive)
    assert len(manifest["files"]) == 4  # type: ignore[arg-type]
    report = backup.restore(archive, tmp_path / "restored")
    assert report.db == tmp_path / "restored" / "tawthiq.db" and report.problems == []
    assert digests(report.db) == digests(db)
    restored_vault = vault_root(report.db)
    assert sorted(p.name for p in restored_vault.rglob("*") if p.is_file()) == \
        sorted(p.name for p in vault.rglob("*") if p.is_file())
    with open_store(report.db) as restored:  # still decrypts with the key kept apart
        assert verify_vault(restored.conn, restored_vault) == [] and audit.verify(restored.conn).ok
        pseudonym = restored.conn.scalar("SELECT pseudonym FROM witnesses")
        assert protect.testimonies(restored.conn, key, pseudonym)[0].text.reveal() == "what I saw"


def test_restore_refuses_a_folder_that_is_not_empty(tmp_path: Path, estore: Store, db: Path) -> None:
    backup.backup(db, tmp_path / "b.tar")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    with pytest.raises(EvidenceError, match="not empty"):
        backup.restore(tmp_path / "b.tar", tmp_path / "busy")


def _rewrite(archive: Path, out: Path, change: str) -> None:
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if change == "byte" and "evidence/" in member.name:
                data = data[:-1] + bytes([data[-1] ^ 1])
                change = "done"
            dst.addfile(member, io.BytesIO(data))
        if change == "extra":
            info = tarfile.TarInfo("../escape.txt")
            info.size = 1
            dst.addfile(info, io.BytesIO(b"x"))


@pytest.mark.parametrize("change", ["byte", "extra"])
def test_a_damaged_backup_is_refused_and_leaves_nothing(
        estore: Store, vault: Path, db: Path, key: Key, tmp_path: Path, change: str) -> None:
    seed(estore, vault, key)
    backup.backup(db, tmp_path / "b.tar")
    _rewrite(tmp_path / "b.tar", tmp_path / "bad.tar", change)
    with pytest.raises(EvidenceError, match=r"damaged|not in the manifest"):
        backup.restore(tmp_path / "bad.tar", tmp_path / "restored")
    assert not (tmp_path / "restored").exists() and not (tmp_path / "escape.txt").exists()
    assert not [p for p in tmp_path.iterdir() if "restoring" in p.name]


def test_a_backup_refuses_an_altered_original(estore: Store, vault: Path, db: Path, key: Key, tmp_path: Path) -> None:
    seed(estore, vault, key)
    victim = next(p for p in vault.rglob("*") if p.is_file())
    victim.chmod(0o644)
    victim.write_bytes(b"changed")
    with pytest.raises(EvidenceError, match="altered"):
        backup.backup(db, tmp_path / "b.tar")
    assert not (tmp_path / "b.tar").exists()
