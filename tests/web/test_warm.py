"""`tawthiq serve --warm`: every incident page rendered before the server answers, and then served as kept."""

from __future__ import annotations

import re
from contextlib import closing
from pathlib import Path

from tawthiq.store import open_store
from tawthiq.web import WebSettings, create_app
from tawthiq.web.auth import Role, add_user
from tests.web.conftest import PASSWORD, login, serving
from tests.web.test_disagreements import _build


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"|content="[0-9a-f]{20,}"', "", html)


def test_a_warm_server_has_every_incident_page_before_the_first_request(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    _build(db)  # incidents 1-4, one viewer
    with open_store(db) as store, store.transaction() as conn:
        conn.execute("DELETE FROM incident_claims WHERE incident_id = 4")  # 1,500 figures: seconds of rendering each
        conn.execute("DELETE FROM incidents WHERE id = 4")
        add_user(conn, "analyst", PASSWORD, Role.ANALYST)
        add_user(conn, "gone", PASSWORD, Role.ADMIN)
        conn.execute("UPDATE users SET active = 0 WHERE name = 'gone'")  # no active admin: no admin pages
    app = create_app(WebSettings(store_path=db, secure_cookies=False, warm=True))
    cold = create_app(WebSettings(store_path=db, secure_cookies=False))
    counts = app.state.web.page_cache.counts
    try:
        with serving(app) as url, serving(cold) as cold_url:
            assert (counts.rendered, counts.hits, counts.checked) == (3 * 2 * 2, 0, 0)  # incidents × roles × languages
            with (closing(login(url, "viewer")) as viewer, closing(login(url, "analyst")) as analyst,
                  closing(login(cold_url, "viewer")) as other):
                for language in ("en", "ar"):
                    for incident in (1, 2, 3):
                        path, headers = f"/incidents/{incident}", {"Accept-Language": language}
                        page, expected = viewer.get(path, headers=headers), other.get(path, headers=headers)
                        assert page.status_code == 200 and f'lang="{language}"' in page.text
                        assert _without_tokens(page.text) == _without_tokens(expected.text)  # as a cold server makes it
                note_form = analyst.get("/incidents/1").text
                assert 'action="/incidents/1/notes"' in note_form  # the analyst's page, kept for that role
                assert 'action="/incidents/1/notes"' not in viewer.get("/incidents/1").text
        assert counts.rendered == 12  # every page was ready: nothing rendered on request
        assert counts.hits + counts.checked == 8  # served as kept (checked once at a newer mark: logins write)
    finally:
        app.state.web.pool.close()
        cold.state.web.pool.close()
