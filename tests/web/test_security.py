"""Access control, CSRF, login throttling, cookies, headers, escaping and redirects, against the running server."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from fastapi.routing import APIRoute

from tawthiq.web.routes import ROUTERS
from tests.web.conftest import PASSWORD, Server, csrf_of, login

PUBLIC = {"/login", "/healthz", "/lang/{code}"}


def _routes(method: str) -> list[str]:
    return sorted({r.path for router in ROUTERS for r in router.routes
                   if isinstance(r, APIRoute) and method in r.methods})


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_route_but_the_public_ones_refuses_anonymous_visitors(anonymous: httpx.Client) -> None:
    gets = [p for p in _routes("GET") if p not in PUBLIC]
    assert len(gets) >= 12
    for path in gets:
        response = anonymous.get(_concrete(path))
        assert response.status_code in (303, 401), path
        if response.status_code == 303:
            assert response.headers["location"].startswith("/login?next="), path
    for path in _routes("POST"):
        if path == "/login":
            continue
        response = anonymous.post(_concrete(path), data={"csrf_token": "x", "action": "confirm", "version": "1"})
        assert response.status_code in (401, 403), path
    assert anonymous.get("/login").status_code == 200
    assert anonymous.get("/healthz").text == "ok"
    assert anonymous.get("/static/app.css").status_code == 200


def test_htmx_requests_of_anonymous_visitors_get_401_with_a_redirect(anonymous: httpx.Client) -> None:
    response = anonymous.get("/incidents", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_a_viewer_gets_403_on_protected_data(clients: dict[str, httpx.Client], query: Callable[..., list]) -> None:
    viewer = clients["viewer"]
    claim = query("SELECT id, version FROM claims ORDER BY id LIMIT 1")[0]
    token = csrf_of(viewer)
    assert viewer.get("/review").status_code == 403
    assert viewer.get("/persons/1").status_code == 403
    assert viewer.get("/documents/1/original").status_code == 403
    decided = viewer.post(f"/claims/{claim['id']}/decide",
                          data={"csrf_token": token, "action": "confirm", "version": claim["version"]})
    assert decided.status_code == 403
    assert viewer.post("/incidents/1/grade", data={"csrf_token": token, "grade": "fair"}).status_code == 403
    assert viewer.post("/incidents/1/notes", data={"csrf_token": token, "body": "x"}).status_code == 403
    assert viewer.post("/persons/1/decide", data={"csrf_token": token, "action": "confirm"}).status_code == 403
    # an analyst may review but not grade
    analyst = clients["analyst"]
    assert analyst.get("/review").status_code == 200
    graded = analyst.post("/incidents/1/grade", data={"csrf_token": csrf_of(analyst), "grade": "fair"})
    assert graded.status_code == 403
    # and the claim was not touched by any of it
    assert query("SELECT version FROM claims WHERE id = ?", (claim["id"],))[0]["version"] == claim["version"]


def test_a_viewer_sees_the_record_but_no_protected_field(clients: dict[str, httpx.Client]) -> None:
    viewer = clients["viewer"]
    for path in ("/incidents", "/documents", "/victims", "/map", "/timeline", "/search?q=Baniyas", "/documents/1"):
        assert viewer.get(path).status_code == 200, path
    victims = viewer.get("/victims").text
    assert "Salma Yusuf" in victims
    assert "+963" not in victims and "/persons/" not in victims
    person = clients["analyst"].get("/persons/1").text
    assert "+963" not in person and "withheld" in person and "from the family" in person


def test_every_post_without_a_csrf_token_is_refused(clients: dict[str, httpx.Client], anonymous: httpx.Client) -> None:
    admin = clients["admin"]
    posts = _routes("POST")
    assert len(posts) >= 6
    for path in posts:
        if path == "/login":
            continue
        assert admin.post(_concrete(path), data={"action": "confirm", "version": "1"}).status_code == 403, path
        wrong = {"csrf_token": "not-the-token", "action": "confirm", "version": "1"}
        assert admin.post(_concrete(path), data=wrong).status_code == 403, path
    anonymous.get("/login")
    refused = anonymous.post("/login", data={"name": "admin", "password": PASSWORD})
    assert refused.status_code == 403
    assert "tawthiq_session" not in refused.cookies


def test_logins_are_rate_limited(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=20) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        codes = [client.post("/login", data={"name": "throttled", "password": f"wrong {i}",
                                              "csrf_token": token.group(1)}).status_code for i in range(6)]
        assert codes[:5] == [401] * 5
        assert codes[5] == 429
        # the right password is refused too while the account is throttled
        right = client.post("/login", data={"name": "throttled", "password": PASSWORD, "csrf_token": token.group(1)})
        assert right.status_code == 429
        assert int(right.headers["Retry-After"]) > 0


def test_session_cookie_flags_and_logout(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=20) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        response = client.post("/login", data={"name": "viewer", "password": PASSWORD, "csrf_token": token.group(1)})
        cookie = response.headers["set-cookie"].lower()
        assert "tawthiq_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        assert client.get("/incidents").status_code == 200
        client.post("/logout", data={"csrf_token": csrf_of(client)})
        assert client.get("/incidents", follow_redirects=False).status_code == 303


def test_security_headers_forbid_inline_script(clients: dict[str, httpx.Client]) -> None:
    response = clients["viewer"].get("/incidents")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert "<script>" not in response.text  # no inline script at all: every script is a /static file
    assert re.findall(r"<script(?![^>]*\bsrc=)", response.text) == []


def test_scraped_markup_is_escaped(clients: dict[str, httpx.Client], query: Callable[..., list]) -> None:
    doc = query("SELECT id FROM documents WHERE text LIKE '%ontoggle%'")[0]["id"]
    claim = query("SELECT id FROM claims WHERE sentence LIKE '%<svg%'")[0]["id"]
    analyst = clients["analyst"]
    for path in (f"/documents/{doc}", f"/claims/{claim}", "/documents", "/search?q=Baniyas", "/review"):
        html = analyst.get(path).text
        assert "<svg onload" not in html and "<details open" not in html and "<audio" not in html, path
    assert "&lt;svg onload=" in analyst.get(f"/claims/{claim}").text


def test_next_parameter_cannot_leave_the_site(server: Server) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        client = httpx.Client(base_url=server.url, timeout=20)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        response = client.post("/login", data={"name": "viewer", "password": PASSWORD, "next": target,
                                                "csrf_token": token.group(1)})
        assert response.headers["location"] == "/", target
        assert client.get(f"/lang/ar?next={target}").headers["location"] == "/"
        client.close()


@pytest.mark.parametrize("path", ["/static/../auth.py", "/static/%2e%2e/auth.py", "/static/vendor/../../app.py",
                                  "/static/..%2f..%2fstore%2fschema%2f0300_web.sql"])
def test_static_files_cannot_be_escaped(anonymous: httpx.Client, path: str) -> None:
    response = anonymous.get(path)
    assert response.status_code == 404 or "argon2" not in response.text
    assert "PasswordHasher" not in response.text and "CREATE TABLE" not in response.text


def test_original_bytes_are_a_download_never_a_page(clients: dict[str, httpx.Client],
                                                    query: Callable[..., list]) -> None:
    doc = query("SELECT id FROM documents WHERE media_type LIKE '%html%' ORDER BY id LIMIT 1")[0]["id"]
    response = clients["analyst"].get(f"/documents/{doc}/original")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert "text/html" not in response.headers["content-type"]
    assert "sandbox" in response.headers["content-security-policy"]


def test_a_fresh_login_works_for_each_role(server: Server) -> None:
    client = login(server.url, "analyst")
    assert client.get("/review").status_code == 200
    client.close()
