"""The accounts page (/admin/users): only administrators reach it; every form is checked for its CSRF token; a
deactivated account cannot log in and its sessions end at once; the last active administrator cannot deactivate or
demote themselves; each change writes one audit entry (never a password or its hash) and the chain verifies.

The security tests run against the shared test server; the tests that change accounts run a server of their own on a
copy of its store, and the concurrency test runs on both engines (SQLite and a real PostgreSQL server)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tawthiq.evidence import audit
from tawthiq.store import open_store
from tawthiq.web import WebSettings, accounts, create_app
from tawthiq.web.accounts import AccountRefused
from tawthiq.web.api import tokens
from tawthiq.web.auth import Role, User, add_user, authenticate
from tawthiq.web.i18n import catalog
from tests.fixtures.postgres import PostgresServer
from tests.web.conftest import PASSWORD, Server, csrf_of, login, serving

PAGE = "/admin/users"
NEW_PASSWORD = "another long password"
LogIn = Callable[..., httpx.Client]


def _account_posts(user_id: int) -> list[tuple[str, dict[str, str]]]:
    """Every form of the page, filled in as an administrator would (the CSRF token is added by each test)."""
    return [
        (PAGE, {"name": "intruder", "role": "admin", "password": PASSWORD, "repeated": PASSWORD}),
        (f"{PAGE}/{user_id}/role", {"role": "admin"}),
        (f"{PAGE}/{user_id}/deactivate", {}),
        (f"{PAGE}/{user_id}/reactivate", {}),
        (f"{PAGE}/{user_id}/password", {"password": NEW_PASSWORD, "repeated": NEW_PASSWORD}),
    ]


def _users(query: Callable[..., list]) -> list[dict[str, object]]:
    return query("SELECT id, name, role, active, password_hash FROM users ORDER BY id")


# --- who may come in ------------------------------------------------------------------------------------------------

def test_only_administrators_reach_the_accounts_page(clients: dict[str, httpx.Client], anonymous: httpx.Client,
                                                     query: Callable[..., list]) -> None:
    before = _users(query)
    viewer = next(u for u in before if u["name"] == "viewer")
    for role in ("viewer", "analyst", "reviewer"):
        client = clients[role]
        assert client.get(PAGE).status_code == 403, role
        token = csrf_of(client)
        for path, fields in _account_posts(int(viewer["id"])):
            assert client.post(path, data={**fields, "csrf_token": token}).status_code == 403, (role, path)
        assert 'href="/admin/users"' not in client.get("/incidents").text, role
    response = anonymous.get(PAGE)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/admin/users"
    for path, fields in _account_posts(int(viewer["id"])):
        assert anonymous.post(path, data={**fields, "csrf_token": "x"}).status_code in (401, 403), path
    admin = clients["admin"]
    assert admin.get(PAGE).status_code == 200
    assert 'href="/admin/users"' in admin.get("/incidents").text  # in the navigation, for admins only
    assert _users(query) == before  # nothing was written by any of it


def test_account_forms_without_the_csrf_token_are_refused(clients: dict[str, httpx.Client],
                                                          query: Callable[..., list]) -> None:
    before = _users(query)
    viewer = next(u for u in before if u["name"] == "viewer")
    admin = clients["admin"]
    for path, fields in _account_posts(int(viewer["id"])):
        assert admin.post(path, data=fields).status_code == 403, path
        assert admin.post(path, data={**fields, "csrf_token": "stale-or-forged"}).status_code == 403, path
    assert _users(query) == before


def test_account_names_are_escaped_on_the_page(clients: dict[str, httpx.Client], query: Callable[..., list]) -> None:
    admin = clients["admin"]
    name = "<svg/onload=alert(1)>"
    made = admin.post(PAGE, data={"csrf_token": csrf_of(admin, PAGE), "name": name, "role": "viewer",
                                  "password": PASSWORD, "repeated": PASSWORD})
    assert made.status_code == 303
    for language in ("en", "ar"):
        html = admin.get(f"{made.headers['location'].split('#')[0]}&lang={language}").text
        assert "<svg/onload" not in html, language
        assert "&lt;svg/onload=alert(1)&gt;" in html, language
    admin.get("/lang/en")  # back to English for the other tests
    assert query("SELECT role, active FROM users WHERE name = ?", (name,)) == [{"role": "viewer", "active": 1}]


def test_every_message_the_accounts_can_give_is_in_both_languages() -> None:
    source = Path(accounts.__file__).read_text(encoding="utf-8")
    keys = set(re.findall(r'"((?:accounts|error)\.[a-z0-9_.]+)"', source))
    routes = Path(accounts.__file__).parent.joinpath("routes", "admin.py").read_text(encoding="utf-8")
    keys |= set(re.findall(r'"(accounts\.[a-z0-9_.]+)"', routes))
    keys |= {f"accounts.done.{d}" for d in ("add", "role", "deactivate", "reactivate", "password", "unchanged")}
    assert len(keys) >= 12
    for language in ("en", "ar"):
        assert sorted(keys - set(catalog(language))) == [], language


# --- changes, on a server of their own --------------------------------------------------------------------------------

@pytest.fixture
def own(copy_db: Path) -> Iterator[Server]:
    """A server over a copy of the test store: its accounts can change without touching the other tests'."""
    app = create_app(WebSettings(store_path=copy_db, secure_cookies=False, login_limit=50))
    with serving(app) as url:
        yield Server(url, copy_db, copy_db.parent)
    app.state.web.pool.close()


@pytest.fixture
def log_in(own: Server) -> Iterator[LogIn]:
    """Log in to ``own`` through the form; every client made is closed at the end of the test."""
    made: list[httpx.Client] = []

    def make(name: str, password: str = PASSWORD) -> httpx.Client:
        made.append(login(own.url, name, password))
        return made[-1]

    yield make
    for client in made:
        client.close()


def _id_of(db: Path, name: str) -> int:
    with open_store(db) as store:
        return int(store.conn.scalar("SELECT id FROM users WHERE name = ?", (name,)))


def _post(client: httpx.Client, path: str, **fields: str) -> httpx.Response:
    return client.post(path, data={**fields, "csrf_token": csrf_of(client, PAGE)})


def _refused_login(url: str, name: str, password: str = PASSWORD) -> int:
    with httpx.Client(base_url=url, timeout=20) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        return client.post("/login", data={"name": name, "password": password,
                                           "csrf_token": token.group(1)}).status_code


def _rows(db: Path | str, sql: str, params: tuple[object, ...] = ()) -> list[dict[str, object]]:
    with open_store(db) as store:
        return [dict(r) for r in store.query(sql, params)]


def _audit_head(db: Path) -> int:
    with open_store(db) as store:
        return audit.head(store.conn)[0]


def _audit_entries(db: Path, after: int) -> list[audit.Entry]:
    """The account entries appended after entry ``after`` (the copied store may hold the shared server's own)."""
    with open_store(db) as store:
        return [e for e in audit.entries(store.conn, after + 1) if e.action.startswith("account.")]


def test_a_deactivated_account_cannot_log_in_and_its_sessions_end_at_once(own: Server, log_in: LogIn) -> None:
    admin = log_in("admin")
    with open_store(own.db) as store, store.transaction() as conn:
        api_token, _ = tokens.create_token(conn, "analyst", name="deactivation test", rate_per_minute=1000)
    analyst, second = log_in("analyst"), log_in("analyst")  # two open sessions
    assert analyst.get("/review").status_code == 200
    api = httpx.Client(base_url=f"{own.url}/api", headers={"Authorization": f"Bearer {api_token}"}, timeout=20)
    assert api.get("/me").status_code == 200
    target = _id_of(own.db, "analyst")
    sessions = _rows(own.db, "SELECT count(*) AS n FROM web_sessions WHERE user_id = ?", (target,))[0]["n"]
    assert isinstance(sessions, int) and sessions >= 2
    start = _audit_head(own.db)

    done = _post(admin, f"{PAGE}/{target}/deactivate")
    assert done.status_code == 303
    assert "is deactivated" in admin.get(done.headers["location"]).text
    for client in (analyst, second):  # the sessions ended at once: the next request goes to the login page
        response = client.get("/review")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert api.get("/me").status_code == 401  # and the account's API tokens are refused
    assert _refused_login(own.url, "analyst") == 401  # the right password no longer logs in
    assert _rows(own.db, "SELECT count(*) AS n FROM web_sessions WHERE user_id = ?", (target,)) == [{"n": 0}]
    [entry] = _audit_entries(own.db, start)
    assert entry.action == "account.deactivate" and f'"sessions_ended":{sessions}' in entry.detail

    assert _post(admin, f"{PAGE}/{target}/reactivate").status_code == 303
    assert log_in("analyst").get("/review").status_code == 200
    api.close()


def test_the_last_active_administrator_cannot_deactivate_or_demote_themselves(own: Server, log_in: LogIn) -> None:
    admin = log_in("admin")
    me = _id_of(own.db, "admin")
    assert _rows(own.db, "SELECT name FROM users WHERE role = 'admin' AND active = 1") == [{"name": "admin"}]
    start = _audit_head(own.db)
    for path, fields in ((f"{PAGE}/{me}/deactivate", {}), (f"{PAGE}/{me}/role", {"role": "reviewer"})):
        refused = _post(admin, path, **fields)
        assert refused.status_code == 409, path
        assert "admin is the last active administrator" in refused.text
        assert "make another account an administrator first" in refused.text
    arabic = admin.post(f"{PAGE}/{me}/deactivate?lang=ar", data={"csrf_token": csrf_of(admin, PAGE)})
    assert arabic.status_code == 409 and "آخر مدير فعّال" in arabic.text
    admin.get("/lang/en")
    assert _audit_entries(own.db, start) == []  # a refused change writes nothing
    assert _rows(own.db, "SELECT role, active FROM users WHERE id = ?", (me,)) == [{"role": "admin", "active": 1}]

    # with a second administrator, the first may step down; then the second is the last one
    assert _post(admin, PAGE, name="second-admin", role="admin", password=PASSWORD,
                 repeated=PASSWORD).status_code == 303
    assert _post(admin, f"{PAGE}/{me}/role", role="reviewer").status_code == 303
    assert admin.get(PAGE).status_code == 403  # demoted: the page is closed to them at once
    second = log_in("second-admin")
    assert _post(second, f"{PAGE}/{_id_of(own.db, 'second-admin')}/deactivate").status_code == 409


def test_each_change_writes_an_audit_entry_without_the_password(own: Server, log_in: LogIn) -> None:
    admin = log_in("admin")
    start = _audit_head(own.db)
    assert _post(admin, PAGE, name="Rania", role="viewer", password=PASSWORD, repeated=PASSWORD).status_code == 303
    rania = _id_of(own.db, "Rania")
    taken = _post(admin, PAGE, name="rania", role="viewer", password=PASSWORD, repeated=PASSWORD)
    assert taken.status_code == 422 and "exists already" in taken.text
    problems = _post(admin, PAGE, name="two words", role="viewer", password="short", repeated="shorter")
    assert problems.status_code == 422
    assert all(m in problems.text for m in ("without spaces", "at least 10 characters", "two passwords differ"))
    assert 'value="two words"' in problems.text and "shorter" not in problems.text  # a password is never echoed
    for path, fields in ((f"{PAGE}/{rania}/role", {"role": "analyst"}), (f"{PAGE}/{rania}/role", {"role": "analyst"}),
                         (f"{PAGE}/{rania}/deactivate", {}), (f"{PAGE}/{rania}/reactivate", {}),
                         (f"{PAGE}/{rania}/password", {"password": NEW_PASSWORD, "repeated": NEW_PASSWORD})):
        assert _post(admin, path, **fields).status_code == 303, path
    assert _post(admin, f"{PAGE}/999999/deactivate").status_code == 404

    entries = _audit_entries(own.db, start)
    assert [e.action for e in entries] == ["account.add", "account.role", "account.deactivate",
                                           "account.reactivate", "account.password"]  # the same role again: none
    with open_store(own.db) as store:
        hashes = [r["password_hash"] for r in store.query("SELECT password_hash FROM users")]
        assert audit.verify(store.conn).ok
        assert authenticate(store.conn, "Rania", NEW_PASSWORD) is not None
        assert authenticate(store.conn, "Rania", PASSWORD) is None
    for e in entries:
        assert e.subject == "user Rania"
        assert '"by":"admin"' in e.detail and '"user":"Rania"' in e.detail and f'"user_id":{rania}' in e.detail
        text = e.subject + e.detail
        assert PASSWORD not in text and NEW_PASSWORD not in text and "$argon2" not in text
        assert not any(h in text or h.split("$")[-1] in text for h in hashes)
    assert '"before":"viewer"' in entries[1].detail and '"after":"analyst"' in entries[1].detail


def test_a_password_reset_ends_the_accounts_other_sessions(own: Server, log_in: LogIn) -> None:
    admin = log_in("admin")
    reviewer = log_in("reviewer")
    target = _id_of(own.db, "reviewer")
    mismatch = _post(admin, f"{PAGE}/{target}/password", password=NEW_PASSWORD, repeated=NEW_PASSWORD + "x")
    assert mismatch.status_code == 422 and "two passwords differ" in mismatch.text
    assert reviewer.get("/incidents").status_code == 200  # nothing happened
    assert _post(admin, f"{PAGE}/{target}/password", password=NEW_PASSWORD, repeated=NEW_PASSWORD).status_code == 303
    assert reviewer.get("/incidents").status_code == 303
    assert _refused_login(own.url, "reviewer") == 401
    assert log_in("reviewer", NEW_PASSWORD).get("/incidents").status_code == 200
    # an administrator who resets their own password stays logged in (their other sessions end)
    other = log_in("admin")
    me = _id_of(own.db, "admin")
    assert _post(admin, f"{PAGE}/{me}/password", password=NEW_PASSWORD, repeated=NEW_PASSWORD).status_code == 303
    assert admin.get(PAGE).status_code == 200
    assert other.get(PAGE).status_code == 303


# --- two administrators at once, on both engines ---------------------------------------------------------------------

@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "accounts.db")
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database(request.getfixturevalue("pg_template"))


def _waiting(url: str) -> bool:
    """Whether a second transaction is waiting for the first one's lock (PostgreSQL: an advisory lock not granted)."""
    if url.startswith("postgresql"):
        return bool(_rows(url, "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                    [0]["n"])
    return True  # SQLite: the second BEGIN IMMEDIATE waits for the write lock (given a moment to get there)


def test_two_admins_stepping_down_at_once_leave_one_admin(store_url: str) -> None:
    with open_store(store_url) as store, store.transaction() as conn:
        first = add_user(conn, "first", PASSWORD, Role.ADMIN)
        second = add_user(conn, "second", PASSWORD, Role.ADMIN)
    release, started = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def step_down(me: User, hold: bool) -> None:
        if not hold:
            started.set()
        with open_store(store_url) as store:
            try:
                with store.transaction() as conn:
                    outcome[me.name] = accounts.change_role(conn, me, me.id, Role.VIEWER)
                    if hold:
                        release.wait(30)
            except AccountRefused as refused:
                outcome[me.name] = refused

    one = threading.Thread(target=step_down, args=(first, True))
    one.start()
    while "first" not in outcome:  # the first has stepped down, and not committed yet
        time.sleep(0.01)
    two = threading.Thread(target=step_down, args=(second, False))
    two.start()
    started.wait(10)
    deadline = time.monotonic() + 10
    while not _waiting(store_url) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)
    assert "second" not in outcome  # still waiting for the first one's transaction
    release.set()
    one.join(10)
    two.join(10)
    assert outcome["first"] is True
    refused = outcome["second"]
    assert isinstance(refused, AccountRefused) and refused.status == 409
    assert _rows(store_url, "SELECT name FROM users WHERE role = 'admin' AND active = 1") == [{"name": "second"}]
    with open_store(store_url) as store:
        assert [e.action for e in audit.entries(store.conn)] == ["account.role"]
        assert audit.verify(store.conn).ok
