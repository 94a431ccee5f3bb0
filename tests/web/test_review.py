"""The review workflow over HTTP: decisions recorded with who and when, optimistic locking, corrections checked."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.web.conftest import csrf_of


def _claim(query: Callable[..., list], where: str) -> dict:
    return query(f"SELECT id, version, best FROM claims WHERE {where} ORDER BY id LIMIT 1")[0]


def _decide(client: httpx.Client, claim_id: int, version: int, **fields: object) -> httpx.Response:
    return client.post(f"/claims/{claim_id}/decide",
                       data={"csrf_token": csrf_of(client), "version": str(version), **fields})


def test_confirm_records_who_and_when_and_leaves_the_queue(clients: dict[str, httpx.Client],
                                                           query: Callable[..., list]) -> None:
    claim = query("SELECT id, version, document_id FROM claims WHERE kind = 'casualty_count' AND best = 1426")[0]
    analyst = clients["analyst"]
    queue = f"/review?kind=casualty_count&document={claim['document_id']}"
    pages = "".join(analyst.get(f"{queue}&page={n}").text for n in (1, 2, 3))
    assert f'/claims/{claim["id"]}/decide' in pages
    response = _decide(analyst, claim["id"], claim["version"], action="confirm")
    assert response.status_code == 303
    row = query("SELECT * FROM review_decisions WHERE claim_id = ?", (claim["id"],))[-1]
    assert row["action"] == "confirm" and row["user_name"] == "analyst" and row["decided_at"].startswith("20")
    assert row["claim_version"] == claim["version"]
    assert query("SELECT version FROM claims WHERE id = ?", (claim["id"],))[0]["version"] == claim["version"] + 1
    queue_ids = [r["id"] for r in query(
        "SELECT c.id FROM claims c WHERE NOT EXISTS (SELECT 1 FROM review_decisions r WHERE r.claim_id = c.id"
        " AND r.action != 'attach')")]
    assert claim["id"] not in queue_ids
    pages = "".join(analyst.get(f"{queue}&page={n}").text for n in (1, 2, 3))
    assert f"/claims/{claim['id']}/decide" not in pages


def test_a_stale_second_reviewer_gets_a_conflict_showing_the_other_change(clients: dict[str, httpx.Client],
                                                                          query: Callable[..., list]) -> None:
    claim = _claim(query, "kind = 'casualty_count' AND best = 1300")
    first = _decide(clients["analyst"], claim["id"], claim["version"], action="correct", best="1350",
                    low=str(claim["best"]), outcome="killed", population="total", reason="the later count")
    assert first.status_code == 303, first.text[:300]
    # the reviewer opened the same version before the analyst's correction landed
    second = _decide(clients["reviewer"], claim["id"], claim["version"], action="confirm")
    assert second.status_code == 409
    assert "analyst" in second.text and "1350" in second.text
    assert f"version {claim['version'] + 1}" in second.text or str(claim["version"] + 1) in second.text
    decisions = query("SELECT action, user_name FROM review_decisions WHERE claim_id = ? ORDER BY id", (claim["id"],))
    assert [d["user_name"] for d in decisions] == ["analyst"]  # the stale decision was not recorded
    # with the current version, the reviewer's decision goes through
    current = query("SELECT version FROM claims WHERE id = ?", (claim["id"],))[0]["version"]
    assert _decide(clients["reviewer"], claim["id"], current, action="confirm").status_code == 303


def test_a_correction_is_checked_and_recorded_before_and_after(clients: dict[str, httpx.Client],
                                                               query: Callable[..., list]) -> None:
    claim = query("SELECT * FROM claims WHERE kind = 'casualty_count' AND best = 803")[0]
    analyst = clients["analyst"]
    keep = {k: ("" if claim[k] is None else str(claim[k])) for k in (
        "outcome", "population", "low", "best", "high", "date_start", "date_end", "place", "admin1", "attributed_to",
        "caveat", "event_type")}
    bad = _decide(analyst, claim["id"], claim["version"], action="correct",
                  **{**keep, "best": "many", "admin1": "Atlantis", "date_end": "yesterday"})
    assert bad.status_code == 422
    for field in ("best", "admin1", "date_end"):
        assert field in bad.text
    good = _decide(analyst, claim["id"], claim["version"], action="correct", **{**keep, "high": "900"},
                   reason="the report says up to 900")
    assert good.status_code == 303
    row = query("SELECT changes, reason FROM review_decisions WHERE claim_id = ? AND action = 'correct'",
                (claim["id"],))[0]
    assert row["changes"] == '{"high": [803, 900]}' and row["reason"] == "the report says up to 900"
    assert query("SELECT high FROM claims WHERE id = ?", (claim["id"],))[0]["high"] == 900


def test_reject_needs_a_reason(clients: dict[str, httpx.Client], query: Callable[..., list]) -> None:
    claim = _claim(query, "best = 500000")
    analyst = clients["analyst"]
    assert _decide(analyst, claim["id"], claim["version"], action="reject", reason=" ").status_code == 422
    assert _decide(analyst, claim["id"], claim["version"], action="reject",
                   reason="a national total, not this incident").status_code == 303
    assert query("SELECT reason FROM review_decisions WHERE claim_id = ?", (claim["id"],))[0]["reason"].startswith("a ")


def test_attach_puts_a_claim_into_an_incident_by_its_key(clients: dict[str, httpx.Client],
                                                         query: Callable[..., list]) -> None:
    claim = query("SELECT c.id, c.version FROM claims c WHERE NOT EXISTS (SELECT 1 FROM incident_claims ic"
                  " WHERE ic.claim_id = c.id) ORDER BY c.id LIMIT 1")[0]
    incident = query("SELECT id, key FROM incidents ORDER BY id LIMIT 1")[0]
    response = _decide(clients["analyst"], claim["id"], claim["version"], action="attach",
                       incident_id=str(incident["id"]))
    assert response.status_code == 303
    assert query("SELECT 1 FROM incident_claims WHERE incident_id = ? AND claim_id = ?", (incident["id"], claim["id"]))
    assert query("SELECT incident_key FROM review_decisions WHERE claim_id = ? AND action = 'attach'",
                 (claim["id"],))[0]["incident_key"] == incident["key"]


def test_htmx_decisions_return_the_card_and_conflicts_are_swapped_in(clients: dict[str, httpx.Client],
                                                                     query: Callable[..., list]) -> None:
    claim = _claim(query, "best = 594")
    analyst = clients["analyst"]
    headers = {"HX-Request": "true"}
    token = csrf_of(analyst)
    ok = analyst.post(f"/claims/{claim['id']}/decide", headers=headers,
                      data={"csrf_token": token, "version": claim["version"], "action": "confirm"})
    assert ok.status_code == 200 and ok.text.lstrip().startswith(f'<article class="card" id="card-{claim["id"]}"')
    stale = analyst.post(f"/claims/{claim['id']}/decide", headers=headers,
                         data={"csrf_token": token, "version": claim["version"], "action": "confirm"})
    assert stale.status_code == 409 and "conflict-box" in stale.text


def test_grades_and_notes_record_who_and_when(clients: dict[str, httpx.Client], query: Callable[..., list]) -> None:
    incident = query("SELECT id, key FROM incidents ORDER BY id DESC LIMIT 1")[0]
    reviewer = clients["reviewer"]
    token = csrf_of(reviewer)
    assert reviewer.post(f"/incidents/{incident['id']}/grade", data={"csrf_token": token, "grade": "certain"}
                         ).status_code == 422
    assert reviewer.post(f"/incidents/{incident['id']}/grade",
                         data={"csrf_token": token, "grade": "fair", "reason": "two NGOs"}).status_code == 303
    assert reviewer.post(f"/incidents/{incident['id']}/notes",
                         data={"csrf_token": token, "body": "ask SNHR for the list"}).status_code == 303
    grade = query("SELECT * FROM incident_grades WHERE incident_key = ?", (incident["key"],))[-1]
    assert (grade["grade"], grade["user_name"], grade["reason"]) == ("fair", "reviewer", "two NGOs")
    note = query("SELECT * FROM incident_notes WHERE incident_key = ?", (incident["key"],))[-1]
    assert note["user_name"] == "reviewer" and note["created_at"].startswith("20")
    page = clients["viewer"].get(f"/incidents/{incident['id']}").text
    assert "ask SNHR for the list" in page and "grade-fair" in page
    assert 'name="grade"' not in page  # a viewer sees the grade but gets no form
    listed = clients["viewer"].get("/incidents?grade=fair").text
    assert f'href="/incidents/{incident["id"]}"' in listed
