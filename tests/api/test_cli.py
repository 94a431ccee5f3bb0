"""`tawthiq token create|list|revoke` against the API test server's store: the printed token works, the list never
shows a secret, a revoked token is refused from the next request."""

from __future__ import annotations

from pathlib import Path

import httpx
from click.testing import CliRunner

from tawthiq.cli import main
from tawthiq.store import open_store
from tawthiq.web.auth import Role, add_user
from tests.api.conftest import ApiServer


def test_create_use_list_and_revoke(api_server: ApiServer) -> None:
    runner = CliRunner()
    base = ["--db", str(api_server.db), "token"]
    made = runner.invoke(main, [*base, "create", "analyst", "--name", "newsroom dashboard"])
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip()
    assert secret.startswith("tq_") and "\n" not in secret and "not shown again" in made.stderr
    with httpx.Client(base_url=f"{api_server.url}/api", headers={"Authorization": f"Bearer {secret}"}) as client:
        me = client.get("/me").json()
        assert me["user"] == "analyst" and me["role"] == "analyst"
        listed = runner.invoke(main, [*base, "list", "--user", "analyst"])
        assert listed.exit_code == 0 and secret not in listed.output
        line = next(x for x in listed.output.splitlines() if x.startswith(f"{me['token_id']}\t"))
        assert "newsroom dashboard" in line and secret[:8] in line and "active" in line
        revoked = runner.invoke(main, [*base, "revoke", str(me["token_id"])])
        assert revoked.exit_code == 0 and "revoked" in revoked.output
        assert client.get("/me").status_code == 401
    listed = runner.invoke(main, [*base, "list", "--user", "analyst"])
    assert "revoked" in next(x for x in listed.output.splitlines() if x.startswith(f"{me['token_id']}\t"))


def test_bad_input_gets_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with open_store(db) as store, store.transaction() as conn:
        user = add_user(conn, "gone", "a long enough password", Role.VIEWER)
        conn.execute("UPDATE users SET active = 0 WHERE id = ?", (user.id,))
    runner = CliRunner()
    unknown = runner.invoke(main, ["--db", str(db), "token", "create", "nobody"])
    assert unknown.exit_code == 1 and "user 'nobody': no such account" in unknown.output
    disabled = runner.invoke(main, ["--db", str(db), "token", "create", "gone"])
    assert disabled.exit_code == 1 and "disabled" in disabled.output
    missing = runner.invoke(main, ["--db", str(db), "token", "revoke", "42"])
    assert missing.exit_code == 1 and "token 42: no such token" in missing.output
    slow = runner.invoke(main, ["--db", str(db), "token", "create", "gone", "--rate", "0"])
    assert slow.exit_code == 2
