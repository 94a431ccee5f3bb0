"""The commands as a user runs them: add, verify, tamper, export, witnesses, backup, restore."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tawthiq.cli import main
from tests.evidence.conftest import CONTACT, NAME
from tests.fixtures.media import make


def run(db: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], env=env, input=stdin, catch_exceptions=False)


def test_add_verify_tamper_and_name_it(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    photo = make.jpeg_with_exif(tmp_path / "photo.jpg")
    copy = tmp_path / "copy.png"
    make.scene().resize((160, 120)).save(copy)
    first = run(db, "evidence", "add", str(photo), "--collected-by", "A", "--source-url", "https://x/1")
    assert first.exit_code == 0 and "stored" in first.output and "(image, image/jpeg)" in first.output
    second = run(db, "evidence", "add", str(copy), "--collected-by", "A", "--device", "phone")
    assert "near duplicate of" in second.output
    assert run(db, "evidence", "verify").exit_code == 0
    assert run(db, "audit", "verify").exit_code == 0
    missing = run(db, "evidence", "add", str(tmp_path / "nope.jpg"), "--collected-by", "A", "--device", "d")
    assert missing.exit_code == 1 and "nope.jpg" in missing.stderr
    # one row of the database changed behind the log's back
    conn = sqlite3.connect(db)
    conn.execute("UPDATE media_metadata SET device = 'Other Cam' WHERE rowid = 1")
    conn.commit()
    conn.close()
    tampered = run(db, "audit", "verify")
    assert tampered.exit_code == 1
    assert re.search(r"media_metadata row [0-9a-f]{64}: changed since the last seal", tampered.stderr)


def test_witness_flow_never_shows_the_name_without_reveal(tmp_path: Path, key_file: Path) -> None:
    db = tmp_path / "t.db"
    env = {"TAWTHIQ_KEY_FILE": str(key_file)}
    identity = f'{{"name": "{NAME}", "contact": "{CONTACT}"}}'
    added = run(db, "witness", "add", "--identity", "-", "--by", "I", "--consent", "storage", env=env, stdin=identity)
    assert added.exit_code == 0, added.output
    pseudonym = added.output.strip()
    shown = run(db, "witness", "show", pseudonym)
    assert NAME not in shown.output and '"court": false' in shown.output
    refused = run(db, "witness", "show", pseudonym, "--reveal", "--by", "lead", "--purpose", "follow-up")
    assert refused.exit_code == 1 and "no key" in refused.stderr
    revealed = run(db, "witness", "show", pseudonym, "--reveal", "--by", "lead", "--purpose", "follow-up", env=env)
    assert NAME in revealed.output
    out = tmp_path / "public.json"
    assert run(db, "evidence", "export", "--public", "--out", str(out)).exit_code == 0
    assert NAME not in out.read_text(encoding="utf-8")
    court = run(db, "evidence", "export", "--evidentiary", "--out", str(tmp_path / "ev"), "--by", "C",
                "--testimony", pseudonym, env=env)
    assert court.exit_code == 1 and "no consent in force for court" in court.stderr
    assert run(db, "audit", "verify").exit_code == 0


def test_a_key_file_inside_the_vault_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    inside = tmp_path / "t.db.evidence" / "k.key"
    inside.parent.mkdir()
    assert run(db, "witness", "keygen", "--out", str(inside)).exit_code == 0
    result = run(db, "witness", "add", "--identity", "-", "--by", "I", "--consent", "storage",
                 env={"TAWTHIQ_KEY_FILE": str(inside)}, stdin='{"name": "x"}')
    assert result.exit_code == 1 and "outside the store" in result.stderr


def test_evidentiary_export_then_verify_then_backup_restore(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    doc = tmp_path / "list.csv"
    doc.write_text("name,age\nA,3\n", encoding="utf-8")
    run(db, "evidence", "add", str(doc), "--collected-by", "A", "--source-url", "https://ngo.example/list.csv")
    ev = tmp_path / "ev"
    assert run(db, "evidence", "export", "--evidentiary", "--out", str(ev), "--by", "C").exit_code == 0
    assert run(db, "evidence", "verify", "--export", str(ev)).exit_code == 0
    (ev / "audit.jsonl").write_text("", encoding="utf-8")
    broken = run(db, "evidence", "verify", "--export", str(ev))
    assert broken.exit_code == 1 and "audit.jsonl" in broken.stderr
    assert run(db, "backup", str(tmp_path / "b.tar")).exit_code == 0
    restored = run(db, "restore", str(tmp_path / "b.tar"), "--into", str(tmp_path / "r"))
    assert restored.exit_code == 0 and "all match the backup" in restored.output
    again = run(db, "backup", str(tmp_path / "b.tar"))
    assert again.exit_code == 1 and "--overwrite" in again.stderr


@pytest.mark.slow
def test_the_output_of_runs_that_fail_on_a_witness_never_contains_the_name(tmp_path: Path) -> None:
    """Real processes, every stream captured: a missing key, a wrong key, a name typed where a pseudonym goes."""
    db = tmp_path / "t.db"
    identity = tmp_path / "id.json"
    identity.write_text(f'{{"name": "{NAME}", "contact": "{CONTACT}"}}', encoding="utf-8")
    keys = [tmp_path / "k1.key", tmp_path / "k2.key"]
    for k in keys:
        run(db, "witness", "keygen", "--out", str(k))
    added = run(db, "witness", "add", "--identity", str(identity), "--by", "I", "--consent", "storage",
                env={"TAWTHIQ_KEY_FILE": str(keys[0])})
    pseudonym = added.output.strip()
    base = {k: v for k, v in os.environ.items() if not k.startswith("TAWTHIQ_")}
    attempts = [
        ({}, ["witness", "add", "--identity", str(identity), "--by", "I", "--consent", "storage"]),
        ({"TAWTHIQ_KEY_FILE": str(keys[1])}, ["witness", "show", pseudonym, "--reveal", "--by", "x", "--purpose", "y"]),
        ({}, ["witness", "consent", NAME, "--purpose", "court", "--grant", "--by", "x"]),
    ]
    for extra, args in attempts:
        proc = subprocess.run([sys.executable, "-m", "tawthiq", "--db", str(db), *args], capture_output=True,
                              text=True, env={**base, **extra}, timeout=120)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.startswith("error: ")
        assert NAME not in proc.stdout + proc.stderr and CONTACT not in proc.stdout + proc.stderr
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.name.startswith("t.db"))
    assert NAME.encode() not in raw
