"""The main journey in Debian's Chromium: contract → sub-contract → installation → back → edit → history."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django's DB calls from the
    # test thread are still synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
        pg = context.new_page()
        pg.set_default_timeout(15000)
        yield pg
        context.close()
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_contract_subcontract_installation_edit_history(page, live_server, world, personas) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    page.goto(f"{base}/login/")
    shot(page, "01-login")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("owner-pw-123")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contracts").click()
    expect(page.get_by_role("heading", name="Contracts")).to_be_visible()
    shot(page, "02-contract-list")

    page.get_by_role("link", name="FW-1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Framework agreement pumps")
    expect(page.locator('[data-feature="service_level"]')).to_contain_text("Gold, around the clock")
    shot(page, "03-contract-detail")

    page.get_by_role("tab", name="Sub-contracts").click()
    expect(page.locator("#tabpanel")).to_contain_text("FW-1.1.1")  # nested, any depth
    shot(page, "04-subcontract-tree")
    page.locator("#tabpanel").get_by_role("link", name="FW-1.1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Call-off north plant")
    expect(page.get_by_role("navigation", name="Parent contracts")).to_contain_text("FW-1")

    page.get_by_role("tab", name="Installations").click()
    expect(page.locator("#tabpanel")).to_contain_text("SN-100")
    shot(page, "05-covered-installations")
    page.locator("#tabpanel").get_by_role("link", name="SN-100").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SN-100")
    expect(page.locator(".facts")).to_contain_text("FW-1.1")  # covering contract today
    shot(page, "06-installation-detail")

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Call-off north plant")

    page.get_by_role("link", name="Edit").click()
    hours = page.get_by_label("Response time")
    expect(hours).to_have_value("24")
    hours.fill("6")
    shot(page, "07-contract-edit")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Call-off north plant")
    expect(page.locator('[data-feature="response_hours"]')).to_contain_text("6 h")
    page.get_by_role("tab", name="History").click()
    history = page.locator("table.history")
    expect(history).to_contain_text("Feature: Response time")
    row = history.locator("tr", has_text="Feature: Response time").first
    expect(row.locator("td.old")).to_have_text("24 h")
    expect(row.locator("td.new")).to_have_text("6 h")
    expect(history).to_contain_text("owner")
    shot(page, "08-contract-history")


def test_admin_and_installation_pages_render(page, live_server, world, personas) -> None:
    """Screenshots of the remaining key pages for a reviewer, as the administrator."""
    from playwright.sync_api import expect

    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("admin-pw-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/installations/")
    expect(page.get_by_role("heading", name="Installations")).to_be_visible()
    shot(page, "09-installation-list")
    page.goto(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Admin", exact=True)).to_be_visible()
    shot(page, "10-admin")
    page.get_by_role("link", name="Service level").click()
    expect(page.locator("body")).to_contain_text("Silver, office hours")
    shot(page, "11-admin-feature")
    page.goto(f"{base}/contracts/new/")
    page.get_by_label("Type").select_option(label="Maintenance")
    expect(page.get_by_label("Service level")).to_be_visible()  # htmx swapped in the type's features
    shot(page, "12-contract-create")
    page.goto(f"{base}/reports/")
    expect(page.locator("#expiry-chart")).to_be_visible()
    page.wait_for_function("Chart.getChart(document.getElementById('expiry-chart')) !== undefined")
    shot(page, "14-reports")
    page.set_viewport_size({"width": 820, "height": 1100})
    page.goto(f"{base}/contracts/?sort=-number")
    shot(page, "13-contract-list-tablet")


def test_htmx_errors_are_shown_not_swallowed(page, live_server, world, personas) -> None:
    """A 422 from an htmx form is swapped in with its inline error; a 404 shows a visible alert."""
    from playwright.sync_api import expect

    from servanda.contracts.services import contract_delete

    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("owner-pw-123")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{base}/contracts/{world.sub.pk}/?tab=installations")
    form = page.locator("form[hx-post]")
    form.locator("input[name=serial_number]").fill("NO-SUCH-SERIAL")
    form.locator("input[name=start]").fill("2025-01-01")
    form.locator("[type=submit]").click()
    expect(page.locator("#tabpanel .errorlist")).to_be_visible()
    expect(page.locator("#htmx-error")).to_be_hidden()

    page.goto(f"{base}/contracts/{world.subsub.pk}/")
    contract_delete(actor=personas.admin, contract=world.subsub)  # gone while the page is open
    page.get_by_role("tab", name="History").click()
    alert = page.locator("#htmx-error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Not found")
    shot(page, "15-htmx-error")
