"""The application in a real browser: Debian's chromium driven by Playwright, one session through the main tasks.

These tests FAIL (they do not skip) when chromium is missing: `scripts/system-deps.sh` installs it. Screenshots go to
tests/web/artifacts/ (git-ignored; CI keeps them as artifacts).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.web.conftest import PASSWORD, Server
from tests.web.test_pages import coastal_incident

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("chromium is not installed: run scripts/system-deps.sh (Debian package `chromium`)")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.csp_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: page.csp_errors.append(m.text)  # type: ignore[attr-defined]
            if "Content Security Policy" in m.text else None)
    page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
    yield page
    context.close()


def _shot(page: Page, server: Server, name: str) -> None:
    page.screenshot(path=str(server.artifacts / f"{name}.png"), full_page=False)


def test_log_in_and_confirm_a_corpus_claim(page: Page, server: Server, query: Callable[..., list]) -> None:
    page.goto("/incidents")
    assert "/login" in page.url
    page.fill("input[name=name]", "analyst")
    page.fill("input[name=password]", PASSWORD)
    _shot(page, server, "01-login")
    page.click("button[type=submit]")
    page.wait_for_url("**/incidents")
    assert page.locator("h1").inner_text() == "Incidents"
    claim = query("SELECT id, document_id FROM claims WHERE kind = 'casualty_count' AND best = 970")[0]
    page.goto(f"/review?kind=casualty_count&document={claim['document_id']}")
    card = page.locator(f"#card-{claim['id']}")
    assert card.locator("mark.quantity").count() == 1  # the figure is highlighted in its sentence
    _shot(page, server, "02-review-queue")
    card.locator("button.confirm").click()
    page.locator(f"#card-{claim['id']} .ok").wait_for()  # swapped in by HTMX
    assert "confirmed" in page.locator(f"#card-{claim['id']} .ok").inner_text()
    _shot(page, server, "03-confirmed")
    decision = query("SELECT action, user_name FROM review_decisions WHERE claim_id = ?", (claim["id"],))
    assert decision == [{"action": "confirm", "user_name": "analyst"}]


def test_the_coastal_incident_shows_both_tolls_side_by_side(page: Page, server: Server,
                                                            query: Callable[..., list]) -> None:
    page.goto(f"/incidents/{coastal_incident(query)}")
    inquiry = page.locator("section.toll", has_text="Syrian government national inquiry")
    observatory = page.locator("section.toll", has_text="Syrian Observatory for Human Rights")
    assert "1,426" in inquiry.inner_text() and "1,300" in observatory.inner_text()
    a, b = inquiry.bounding_box(), observatory.bounding_box()
    assert a and b
    _shot(page, server, "04-coastal-incident")
    assert abs(a["y"] - b["y"]) < 5 and abs(a["x"] - b["x"]) > 100  # beside each other, not stacked
    _shot(page, server, "04-coastal-incident")


def test_switch_to_arabic_gives_a_right_to_left_page(page: Page, server: Server, query: Callable[..., list]) -> None:
    page.goto(f"/incidents/{coastal_incident(query)}")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert "آذار (مارس) 2025" in page.locator("dl.facts").inner_text()
    brand = page.locator(".brand").bounding_box()
    assert brand and brand["x"] > 640  # the header starts on the right
    _shot(page, server, "05-arabic-rtl")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.dir") == "ltr"


def test_an_xss_payload_in_a_document_is_rendered_inert(page: Page, server: Server,
                                                        query: Callable[..., list]) -> None:
    doc = query("SELECT id FROM documents WHERE text LIKE '%ontoggle%'")[0]["id"]
    claim = query("SELECT id FROM claims WHERE sentence LIKE '%<svg%'")[0]["id"]
    for path in (f"/documents/{doc}", f"/claims/{claim}", "/search?q=Baniyas", "/documents"):
        page.goto(path)
        page.wait_for_timeout(200)
        assert page.evaluate("document.body.dataset.xss") is None, path
        assert page.locator("svg[onload], details[ontoggle], audio[onerror], input[onfocus]").count() == 0, path
    page.goto(f"/documents/{doc}")
    assert "<svg onload=" in page.locator(".doc-text").inner_text()  # shown as text
    _shot(page, server, "06-xss-inert")


def test_the_map_draws_governorates_offline_with_bundled_leaflet(page: Page, server: Server) -> None:
    page.goto("/map?from=2025-03-01&to=2025-03-31")
    page.locator("#map path.leaflet-interactive").first.wait_for()
    assert page.locator("#map path.leaflet-interactive").count() >= 14 + 2  # outlines and incident markers
    assert page.locator("#map img.leaflet-tile").count() == 0
    _shot(page, server, "07-map")
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_an_admin_creates_an_account_that_then_logs_in(browser: Browser, server: Server,
                                                       query: Callable[..., list]) -> None:
    def log_in(name: str, password: str) -> tuple[BrowserContext, Page]:
        context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
        page.goto("/login")
        page.fill("input[name=name]", name)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_url("**/incidents")
        return context, page

    admin_context, admin = log_in("admin", PASSWORD)
    admin.click("#nav-accounts")  # the navigation shows the accounts page to administrators
    admin.wait_for_url("**/admin/users")
    form = admin.locator("#add-account")
    form.locator("input[name=name]").fill("browser-analyst")
    form.locator("select[name=role]").select_option("analyst")
    form.locator("input[name=password]").fill("made in the browser")
    form.locator("input[name=repeated]").fill("made in the browser")
    form.locator("button[type=submit]").click()
    admin.locator("#notice").wait_for()
    assert "browser-analyst was added as analyst" in admin.locator("#notice").inner_text()
    row = admin.locator("tr", has=admin.locator("bdi.account-name", has_text="browser-analyst"))
    assert "active" in row.inner_text()
    _shot(admin, server, "08-accounts")
    admin_context.close()
    assert query("SELECT role, active FROM users WHERE name = 'browser-analyst'") == [{"role": "analyst",
                                                                                       "active": 1}]

    context, page = log_in("browser-analyst", "made in the browser")
    assert page.locator(".user").inner_text().startswith("browser-analyst")
    review = page.goto("/review")
    assert review is not None and review.status == 200  # the analyst's review queue, not a refusal
    assert page.locator("#nav-accounts").count() == 0
    context.close()
