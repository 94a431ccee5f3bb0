"""The API's rules on the corpus store: protected fields, revoked tokens, optimistic locking, cursor pagination, the
rate limit, and the writes of each role."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tawthiq.web.api.cursor import BadCursor, Position, decode, encode
from tests.api.conftest import ApiServer

Sql = Callable[..., list[dict[str, Any]]]


def _all_pages(client: httpx.Client, path: str, limit: int, between: Callable[[int], None] | None = None,
               **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for number in range(1, 10_000):
        page = client.get(path, params={"limit": limit, **params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if between:
            between(number)
        if cursor is None:
            return items
    raise AssertionError("the pages never ended")


# --- protected fields -----------------------------------------------------------------------------------------------

def test_a_viewer_asking_for_protected_fields_is_refused(api: dict[str, httpx.Client]) -> None:
    viewer = api["viewer"]
    for field in ("phone", "witness", "contact", "father_name", "extra", "address"):
        refused = viewer.get("/victims", params={"fields": field})
        assert refused.status_code == 403, (field, refused.text)
        assert "+963" not in refused.text
    assert viewer.get("/persons/1").status_code == 403
    assert viewer.get("/documents/1/original").status_code == 403
    listed = viewer.get("/victims").json()["items"]
    assert listed and all(item["more"] == {} for item in listed)
    assert not {"extra", "father_name", "source_file"} & set(listed[0])


def test_identities_are_not_released_through_the_api_to_anyone(api: dict[str, httpx.Client]) -> None:
    for who in ("analyst", "reviewer", "admin"):
        for field in ("phone", "witness_identity", "testimony", "هاتف"):
            refused = api[who].get("/victims", params={"fields": field})
            assert refused.status_code == 403, (who, field)
            assert "protected evidence store" in refused.json()["detail"]


def test_an_analyst_gets_source_fields_with_contact_columns_withheld(api: dict[str, httpx.Client]) -> None:
    body = api["analyst"].get("/victims", params={"fields": "father_name,source_file,extra", "limit": 200}).json()
    first = next(i for i in body["items"] if i["id"] == 1)
    assert first["more"]["source_file"] == "test.csv"
    assert first["more"]["extra"] == {"phone": "withheld", "note": "from the family"}
    person = api["analyst"].get("/persons/1").json()
    assert [r["id"] for r in person["records"]] == [1, 2]
    assert person["records"][0]["extra"]["phone"] == "withheld"
    assert api["analyst"].get("/victims", params={"fields": "no_such_field"}).status_code == 422


# --- tokens -----------------------------------------------------------------------------------------------------------

def test_a_revoked_token_is_refused(api_server: ApiServer, sql: Sql) -> None:
    secret = api_server.token("reviewer", name="to revoke")
    with httpx.Client(base_url=f"{api_server.url}/api", headers={"Authorization": f"Bearer {secret}"}) as client:
        me = client.get("/me")
        assert me.status_code == 200 and me.json()["role"] == "reviewer"
        revoked = client.delete(f"/tokens/{me.json()['token_id']}")
        assert revoked.status_code == 200 and revoked.json()["active"] is False
        refused = client.get("/incidents")
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    row = sql("SELECT token_hash, revoked_by, last_used_at FROM api_tokens WHERE id = ?", (me.json()["token_id"],))[0]
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["revoked_by"] == "reviewer" and row["last_used_at"]


def test_tokens_are_stored_only_as_hashes(api_server: ApiServer, sql: Sql) -> None:
    secret = api_server.token("viewer", name="hash check")
    rows = sql("SELECT * FROM api_tokens")
    assert all(secret not in str(value) for row in rows for value in row.values())
    assert any(row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest() for row in rows)


def test_malformed_and_unknown_tokens_are_refused(api_server: ApiServer) -> None:
    for header in ("Bearer tq_" + "A" * 43, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer tq_short"):
        with httpx.Client(base_url=f"{api_server.url}/api", headers={"Authorization": header}) as client:
            assert client.get("/me").status_code == 401, header


def test_a_user_sees_and_revokes_only_their_own_tokens(api: dict[str, httpx.Client], api_server: ApiServer) -> None:
    made = api["viewer"].post("/tokens", json={"name": "second"})
    assert made.status_code == 201 and made.json()["token"].startswith("tq_")
    mine = api["viewer"].get("/tokens").json()
    assert {t["user_name"] for t in mine} == {"viewer"} and all("token" not in t for t in mine)
    others = api["admin"].get("/tokens").json()
    analyst_token = next(t for t in others if t["user_name"] == "analyst")
    assert api["viewer"].delete(f"/tokens/{analyst_token['id']}").status_code == 404
    assert api["admin"].delete(f"/tokens/{made.json()['id']}").json()["revoked_by"] == "admin"


# --- review decisions -------------------------------------------------------------------------------------------------

def test_a_stale_version_gets_409_with_the_other_change(api: dict[str, httpx.Client], sql: Sql) -> None:
    claim = sql("SELECT id FROM claims WHERE kind = 'casualty_count' ORDER BY id DESC LIMIT 1")[0]["id"]
    seen = api["reviewer"].get(f"/claims/{claim}").json()["version"]
    first = api["analyst"].post(f"/claims/{claim}/decisions",
                                json={"action": "correct", "version": seen, "fields": {"caveat": "unverified"},
                                      "reason": "the source hedges"})
    assert first.status_code == 201 and first.json()["version"] == seen + 1
    second = api["reviewer"].post(f"/claims/{claim}/decisions",
                                  json={"action": "reject", "version": seen, "reason": "duplicate"})
    assert second.status_code == 409
    conflict = second.json()
    assert "analyst" in conflict["detail"] and conflict["seen"] == seen and conflict["current"] == seen + 1
    assert [(d["action"], d["user_name"]) for d in conflict["since"]] == [("correct", "analyst")]
    assert conflict["since"][0]["changes"]["caveat"][1] == "unverified"
    assert conflict["claim"]["caveat"] == "unverified" and conflict["claim"]["version"] == seen + 1
    again = api["reviewer"].post(f"/claims/{claim}/decisions",
                                 json={"action": "reject", "version": seen + 1, "reason": "duplicate"})
    assert again.status_code == 201
    detail = api["viewer"].get(f"/claims/{claim}").json()
    assert detail["status"] == "reject" and [d["action"] for d in detail["history"]][-2:] == ["correct", "reject"]


def test_invalid_decisions_list_every_problem_and_change_nothing(api: dict[str, httpx.Client], sql: Sql) -> None:
    claim = sql("SELECT id, version FROM claims WHERE kind = 'casualty_count' ORDER BY id LIMIT 1")[0]
    bad = api["analyst"].post(f"/claims/{claim['id']}/decisions", json={
        "action": "correct", "version": claim["version"],
        "fields": {"best": "many", "date_start": "March", "colour": "red"}})
    assert bad.status_code == 422
    assert {name for name, _ in bad.json()["problems"]} == {"colour"}
    bad = api["analyst"].post(f"/claims/{claim['id']}/decisions", json={
        "action": "correct", "version": claim["version"], "fields": {"best": "many", "date_start": "March"}})
    assert {name for name, _ in bad.json()["problems"]} == {"best", "date_start"}
    no_reason = api["analyst"].post(f"/claims/{claim['id']}/decisions",
                                    json={"action": "reject", "version": claim["version"]})
    assert no_reason.status_code == 422
    assert sql("SELECT version FROM claims WHERE id = ?", (claim["id"],))[0]["version"] == claim["version"]
    assert api["analyst"].post("/claims/99999999/decisions", json={"action": "confirm", "version": 1}).status_code \
        == 404


def test_a_viewer_cannot_decide_and_nothing_is_recorded(api: dict[str, httpx.Client], sql: Sql) -> None:
    claim = sql("SELECT id, version FROM claims ORDER BY id LIMIT 1 OFFSET 3")[0]
    before = sql("SELECT count(*) AS n FROM review_decisions")[0]["n"]
    refused = api["viewer"].post(f"/claims/{claim['id']}/decisions",
                                 json={"action": "confirm", "version": claim["version"]})
    assert refused.status_code == 403
    assert sql("SELECT count(*) AS n FROM review_decisions")[0]["n"] == before


def test_grades_notes_and_attach_by_the_roles_allowed(api: dict[str, httpx.Client], sql: Sql) -> None:
    incident = sql("SELECT id FROM incidents ORDER BY id LIMIT 1")[0]["id"]
    assert api["analyst"].post(f"/incidents/{incident}/grades", json={"grade": "fair"}).status_code == 403
    assert api["reviewer"].post(f"/incidents/{incident}/grades",
                                json={"grade": "fair", "reason": "two sources"}).status_code == 201
    assert api["viewer"].get(f"/incidents/{incident}/grades").json()[0] == {
        **api["viewer"].get(f"/incidents/{incident}/grades").json()[0], "grade": "fair", "user_name": "reviewer"}
    assert api["analyst"].post(f"/incidents/{incident}/notes", json={"body": "call the morgue"}).status_code == 201
    assert api["viewer"].get(f"/incidents/{incident}").json()["notes"][-1]["body"] == "call the morgue"
    assert api["viewer"].get("/incidents", params={"grade": "fair"}).json()["items"][0]["id"] == incident
    loose = sql("SELECT id, version FROM claims WHERE id NOT IN (SELECT claim_id FROM incident_claims) LIMIT 1")[0]
    attached = api["admin"].post(f"/claims/{loose['id']}/decisions",
                                 json={"action": "attach", "version": loose["version"], "incident_id": incident})
    assert attached.status_code == 201
    assert incident in api["viewer"].get(f"/claims/{loose['id']}").json()["incident_ids"]


def test_the_incident_shows_the_coastal_tolls_side_by_side(api: dict[str, httpx.Client], sql: Sql) -> None:
    row = sql("SELECT ic.incident_id AS i FROM incident_claims ic JOIN claims c ON c.id = ic.claim_id"
              " WHERE c.best = 1426 LIMIT 1")[0]
    detail = api["viewer"].get(f"/incidents/{row['i']}").json()
    speakers = [t["speaker"] for t in detail["tolls"]]
    assert any("inquiry" in s for s in speakers) and any("Observatory" in s for s in speakers)
    assert detail["independent_documents"] >= 2


# --- pagination -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "table"), [("/claims", "claims"), ("/documents", "documents"),
                                             ("/victims", "victim_records")])
def test_pages_cover_every_row_exactly_once(api: dict[str, httpx.Client], sql: Sql, path: str, table: str) -> None:
    items = _all_pages(api["viewer"], path, limit=2 if table != "claims" else 7)
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == [r["id"] for r in sql(f"SELECT id FROM {table} ORDER BY id")]


def test_pagination_is_stable_under_inserts(api: dict[str, httpx.Client], api_server: ApiServer, sql: Sql) -> None:
    """Incidents come newest first; rows inserted ahead of the cursor mid-way shift no page (offsets would)."""
    before = [r["id"] for r in sql("SELECT id FROM incidents")]
    added: list[int] = []

    def insert(number: int) -> None:
        if number > 2:
            return
        from tawthiq.store import open_store

        with open_store(api_server.db) as store, store.transaction() as conn:
            for k in range(3):
                cur = conn.execute("INSERT INTO incidents (key, title, date_start) VALUES (?, ?, '2099-01-01')",
                                   (f"test-{number}-{k}", f"inserted {number}-{k}"))
                added.append(int(cur.lastrowid or 0))

    try:
        items = _all_pages(api["viewer"], "/incidents", limit=3, between=insert)
    finally:
        from tawthiq.store import open_store

        with open_store(api_server.db) as store, store.transaction() as conn:
            conn.executemany("DELETE FROM incidents WHERE id = ?", [(i,) for i in added])
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids))
    assert sorted(i for i in ids if i in before) == sorted(before)
    dates = [(i["date_start"] or "") for i in items]
    assert dates == sorted(dates, reverse=True)


def test_page_size_limits_and_bad_cursors(api: dict[str, httpx.Client]) -> None:
    viewer = api["viewer"]
    assert viewer.get("/claims", params={"limit": 201}).status_code == 422
    assert viewer.get("/claims", params={"limit": 0}).status_code == 422
    assert len(viewer.get("/claims", params={"limit": 200}).json()["items"]) <= 200
    cursor = viewer.get("/documents", params={"limit": 1}).json()["next_cursor"]
    wrong_listing = viewer.get("/claims", params={"cursor": cursor})
    assert wrong_listing.status_code == 400 and "documents" not in wrong_listing.json()["detail"]
    assert viewer.get("/claims", params={"cursor": "%%%not-a-cursor"}).status_code == 400


@given(st.sampled_from(["claims", "incidents"]), st.one_of(st.none(), st.text(), st.integers()),
       st.integers(min_value=0, max_value=2**53))
def test_cursors_round_trip(listing: str, key: str | int | None, ident: int) -> None:
    assert decode(listing, encode(listing, Position(key, ident))) == Position(key, ident)


@given(st.text(max_size=200))
def test_any_text_as_a_cursor_is_refused_cleanly_or_read(text: str) -> None:
    try:
        position = decode("claims", text)
    except BadCursor as e:
        assert "cursor" in str(e)
    else:
        assert isinstance(position.id, int)


# --- rate limit -------------------------------------------------------------------------------------------------------

def test_over_the_rate_limit_a_token_gets_429_with_retry_after(api_server: ApiServer,
                                                               api: dict[str, httpx.Client]) -> None:
    secret = api_server.token("viewer", rate=3, name="slow")
    with httpx.Client(base_url=f"{api_server.url}/api", headers={"Authorization": f"Bearer {secret}"}) as client:
        statuses = [client.get("/me").status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        refused = client.get("/me")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 20
    assert api["viewer"].get("/me").status_code == 200  # each token has its own bucket
