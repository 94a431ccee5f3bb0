"""A real server for the API tests: the web tests' store (../shared/corpus and corpus-ar ingested, one account per
role, victim records linked into persons), a token per role made through the store as `tawthiq token create` makes
them, one revoked token, and uvicorn on a free loopback port in a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from tawthiq.store import open_store
from tawthiq.web import WebSettings, create_app
from tawthiq.web.api import tokens
from tawthiq.web.auth import Role
from tests.web.conftest import _build_store, _free_port

UNLIMITED = 100_000  # requests a minute: the role tests must never meet the rate limit


@dataclass(frozen=True)
class ApiServer:
    url: str
    db: Path
    artifacts: Path
    tokens: dict[str, str]  # role (and "revoked") -> token

    def client(self, who: str | None) -> httpx.Client:
        """A client sending ``who``'s token (``None``: no token at all)."""
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=f"{self.url}/api", headers=headers, timeout=20)

    def token(self, user: str, rate: int | None = UNLIMITED, name: str = "") -> str:
        with open_store(self.db) as store, store.transaction() as conn:
            secret, _ = tokens.create_token(conn, user, name=name, created_by="test", rate_per_minute=rate)
        return secret


def _tokens(db: Path) -> dict[str, str]:
    made: dict[str, str] = {}
    with open_store(db) as store, store.transaction() as conn:
        for role in Role:
            made[role.value], _ = tokens.create_token(conn, role.value, name=f"{role.value} tests",
                                                      rate_per_minute=UNLIMITED)
        made["revoked"], info = tokens.create_token(conn, "admin", name="revoked at once", rate_per_minute=UNLIMITED)
        tokens.revoke_token(conn, info.id, by="test")
    return made


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    root = tmp_path_factory.mktemp("api")
    db = root / "api.db"
    _build_store(db)
    made = _tokens(db)
    app = create_app(WebSettings(store_path=db, secure_cookies=False))
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API test server did not start")
        time.sleep(0.05)
    artifacts = Path(__file__).resolve().parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    yield ApiServer(f"http://127.0.0.1:{port}", db, artifacts, made)
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def api(api_server: ApiServer) -> Iterator[dict[str, httpx.Client]]:
    """A client per role, plus ``anonymous`` (no token) and ``revoked`` (a revoked admin token)."""
    made = {who: api_server.client(who) for who in [*(r.value for r in Role), "revoked"]}
    made["anonymous"] = api_server.client(None)
    yield made
    for client in made.values():
        client.close()


@pytest.fixture(scope="session")
def sql(api_server: ApiServer) -> Callable[..., list[dict[str, object]]]:
    def run(statement: str, params: tuple[object, ...] = ()) -> list[dict[str, object]]:
        with open_store(api_server.db) as store:
            return [dict(r) for r in store.query(statement, params)]

    return run
