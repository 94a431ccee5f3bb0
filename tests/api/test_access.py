"""Every role on every route: a table over the OpenAPI document's operations, so that a new route without a row in
the table fails here, and every row is run for anonymous, revoked, viewer, analyst, reviewer and admin callers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.openapi.utils import get_openapi
from openapi_spec_validator import validate

from tawthiq.web.api import ROUTERS
from tawthiq.web.auth import Role
from tests.api.conftest import ApiServer

# (method, path) -> (the least role allowed, the status an allowed caller gets with the sample request below).
# Writes are sent an empty JSON body: an allowed caller gets 422 (it passed the gate; the body is incomplete), a
# refused one 401 or 403 before the body is looked at. DELETE names a token that does not exist: 404 once allowed.
ACCESS: dict[tuple[str, str], tuple[Role, int]] = {
    ("get", "/me"): (Role.VIEWER, 200),
    ("get", "/tokens"): (Role.VIEWER, 200),
    ("post", "/tokens"): (Role.VIEWER, 201),
    ("delete", "/tokens/{token_id}"): (Role.VIEWER, 404),
    ("get", "/documents"): (Role.VIEWER, 200),
    ("get", "/documents/{document_id}"): (Role.VIEWER, 200),
    ("get", "/documents/{document_id}/original"): (Role.ANALYST, 200),
    ("get", "/claims"): (Role.VIEWER, 200),
    ("get", "/claims/{claim_id}"): (Role.VIEWER, 200),
    ("get", "/claims/{claim_id}/decisions"): (Role.VIEWER, 200),
    ("post", "/claims/{claim_id}/decisions"): (Role.ANALYST, 422),
    ("get", "/review/queue"): (Role.ANALYST, 200),
    ("get", "/incidents"): (Role.VIEWER, 200),
    ("get", "/incidents/{incident_id}"): (Role.VIEWER, 200),
    ("get", "/incidents/{incident_id}/grades"): (Role.VIEWER, 200),
    ("post", "/incidents/{incident_id}/grades"): (Role.REVIEWER, 422),
    ("get", "/incidents/{incident_id}/notes"): (Role.VIEWER, 200),
    ("post", "/incidents/{incident_id}/notes"): (Role.ANALYST, 422),
    ("get", "/exports/incidents.geojson"): (Role.VIEWER, 200),
    ("get", "/victims"): (Role.VIEWER, 200),
    ("get", "/persons/{person_id}"): (Role.ANALYST, 200),
    ("get", "/search"): (Role.VIEWER, 200),
}
QUERY = {"/search": {"q": "Baniyas"}}
CALLERS = ["anonymous", "revoked", *(r.value for r in Role)]
PROTECTED_VALUE = "+963 000 000"  # the phone number in a victim record's unmapped columns (tests/web/conftest.py)


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the API's OpenAPI document, built from the routers themselves."""
    doc = get_openapi(title="t", version="1", routes=[r for router in ROUTERS for r in router.routes])
    return sorted((method, path) for path, item in doc["paths"].items() for method in item)


OPERATIONS = operations()


def test_every_operation_has_a_row_in_the_access_table() -> None:
    missing = [op for op in OPERATIONS if op not in ACCESS]
    assert not missing, f"routes without a row in ACCESS (say who may call them): {missing}"
    assert not [op for op in ACCESS if op not in OPERATIONS], "rows of ACCESS for routes that no longer exist"


def test_the_served_openapi_document_lists_the_same_operations(api: dict[str, httpx.Client]) -> None:
    doc = api["anonymous"].get("/openapi.json")
    assert doc.status_code == 200
    body = doc.json()
    assert body["openapi"].startswith("3.") and body["servers"] == [{"url": "/api"}]
    validate(body)  # a valid OpenAPI document (openapi-spec-validator raises otherwise)
    assert sorted((m, p) for p, item in body["paths"].items() for m in item) == OPERATIONS
    assert body["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http", "scheme": "bearer", "description": "A token from `tawthiq token create USER`."}
    for path, item in body["paths"].items():
        for method, op in item.items():
            assert op.get("security") == [{"HTTPBearer": []}], f"{method} {path} does not declare the bearer token"


def _ids(sql: Callable[..., list[dict[str, Any]]]) -> dict[str, int]:
    return {
        "document_id": int(sql("SELECT min(id) AS i FROM documents")[0]["i"]),
        "claim_id": int(sql("SELECT min(id) AS i FROM claims")[0]["i"]),
        "incident_id": int(sql("SELECT min(id) AS i FROM incidents")[0]["i"]),
        "person_id": 1,
        "token_id": 999_999,
    }


def _call(client: httpx.Client, method: str, path: str, ids: dict[str, int]) -> httpx.Response:
    url = path.format(**{k: v for k, v in ids.items() if "{" + k + "}" in path})
    if method == "post":
        return client.post(url, json={})
    return client.request(method.upper(), url, params=QUERY.get(path))


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_role_on_every_route(api: dict[str, httpx.Client], sql: Callable[..., list[dict[str, Any]]],
                                   method: str, path: str) -> None:
    least, allowed_status = ACCESS[(method, path)]
    ids = _ids(sql)
    for who in CALLERS:
        response = _call(api[who], method, path, ids)
        if who in ("anonymous", "revoked"):
            expected = 401
            assert response.headers.get("www-authenticate", "").startswith("Bearer"), (who, method, path)
        else:
            expected = allowed_status if Role(who).at_least(least) else 403
        assert response.status_code == expected, (who, method, path, response.status_code, response.text[:300])
        assert PROTECTED_VALUE not in response.text, f"{who} got a protected value from {method} {path}"
        if expected >= 400:
            assert set(response.json()) >= {"detail"}, "errors are JSON with a detail"


def test_pages_cookies_do_not_open_the_api(api_server: ApiServer) -> None:
    """A logged-in browser's session cookie is not a credential of the API (no CSRF through the API)."""
    from tests.web.conftest import login

    browser_session = login(api_server.url, "admin")
    try:
        assert browser_session.get("/incidents").status_code == 200
        assert browser_session.get("/api/incidents").status_code == 401
        assert browser_session.post("/api/incidents/1/notes", json={"body": "x"}).status_code == 401
    finally:
        browser_session.close()
