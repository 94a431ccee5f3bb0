"""`tawthiq user add`: accounts from the command line, the password from standard input."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tawthiq.cli import main
from tawthiq.cli.web import serve_settings
from tawthiq.store import open_store
from tawthiq.web import create_app
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


def test_serve_takes_the_page_cache_size_and_refuses_a_negative_one(tmp_path: Path) -> None:
    settings = serve_settings(str(tmp_path / "t.db"), "127.0.0.1", None, 512.0)
    assert settings.page_cache_mb == 512.0 and settings.secure_cookies is False
    assert serve_settings("t.db", "0.0.0.0", None, 64.0).secure_cookies is True
    assert settings.shared_page_cache is None
    kept = serve_settings(str(tmp_path / "t.db"), "127.0.0.1", None, 64.0, tmp_path / "pages.db")
    assert kept.shared_page_cache == tmp_path / "pages.db"
    app = create_app(settings)
    assert app.state.web.page_cache.max_bytes == 512 * 2**20
    bad = CliRunner().invoke(main, ["--db", str(tmp_path / "t.db"), "serve", "--page-cache-mb", "-1"])
    assert bad.exit_code == 2 and "--page-cache-mb" in bad.output
