"""`tawthiq user add`: accounts from the command line, the password from standard input."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tawthiq.cli import main
from tawthiq.store import open_store
from tawthiq.web.auth import authenticate


def test_user_add_reads_the_password_from_stdin_and_hashes_it(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(db), "user", "add", "amira", "--role", "admin", "--password-stdin"],
                           input="a sufficiently long one\n")
    assert result.exit_code == 0, result.output
    assert "added amira (admin)" in result.output
    with open_store(db) as store:
        row = store.query("SELECT password_hash, role FROM users WHERE name = 'amira'")[0]
        assert row["password_hash"].startswith("$argon2id$") and row["role"] == "admin"
        assert authenticate(store.conn, "amira", "a sufficiently long one") is not None
        assert authenticate(store.conn, "amira", "wrong password!") is None
    again = runner.invoke(main, ["--db", str(db), "user", "add", "amira", "--password-stdin"], input="x" * 12 + "\n")
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(main, ["--db", str(db), "user", "add", "sami", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "too short" in short.output


def test_serve_has_host_and_port_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--host" in result.output and "--port" in result.output
    assert "--workers" in result.output
