"""The two journeys of issue 3 in Debian's Chromium: complete from My work and see the next
occurrence appear; move in the planner, tick twice, and find it still moved and single."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from servanda.obligations.services import obligation_create
from servanda.work.models import WorkItem

from .conftest import WorkWorld, month_after

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page() -> Iterator:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1360, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(15000)
        yield pg
        context.close()
        browser.close()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"{username}-pw-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/my-work/")


def test_complete_from_my_work_shows_the_next_occurrence(ww: WorkWorld, live_server, page) -> None:
    log_in(page, live_server, "owner")
    item = ww.item(ww.floating, ww.today - dt.timedelta(days=3))
    row = page.locator(f"#item-{item.pk}")
    assert "overdue by 3 days" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "workui-my-work.png"), full_page=True)
    row.locator("summary").click()
    row.locator("textarea[name=note]").fill("Filters swapped, housing cleaned")
    page.screenshot(path=str(ARTIFACTS / "workui-my-work-complete.png"), full_page=True)
    row.get_by_role("button", name="Mark as done").click()
    page.wait_for_selector("text=Completed “Filter change — M-100”.")
    expected = month_after(ww.today)  # floating: one month from today's completion
    nxt = WorkItem.objects.get(obligation=ww.floating, status=WorkItem.Status.OPEN)
    assert nxt.due_date == expected
    new_row = page.locator(f"#item-{nxt.pk}")
    new_row.wait_for()
    assert new_row.locator("time").get_attribute("datetime") == expected.isoformat()
    assert page.locator(f"#item-{item.pk}").count() == 0
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE and item.completion_note == "Filters swapped, housing cleaned"
    page.screenshot(path=str(ARTIFACTS / "workui-my-work-after.png"), full_page=True)


def test_move_in_planner_survives_two_ticks(ww: WorkWorld, live_server, page) -> None:
    log_in(page, live_server, "colleague")
    item = ww.item(ww.anchored, ww.today - dt.timedelta(days=10))
    occurrence = item.occurrence_date
    target = ww.today + dt.timedelta(days=2)
    page.goto(f"{live_server.url}/planning/?who=role:{ww.role.pk}&start={item.due_date.isoformat()}")
    page.screenshot(path=str(ARTIFACTS / "workui-planner.png"), full_page=True)
    page.fill(f"#due-{item.pk}", target.isoformat())
    page.wait_for_selector(f"text=Moved “{item.title}”")
    item.refresh_from_db()
    assert item.due_date == target and item.moved
    before = WorkItem.objects.filter(obligation=ww.anchored).count()

    call_command("tick")
    call_command("tick")

    assert WorkItem.objects.filter(obligation=ww.anchored).count() == before
    assert WorkItem.objects.filter(obligation=ww.anchored, occurrence_date=occurrence).count() == 1
    item.refresh_from_db()
    assert item.due_date == target and item.status == WorkItem.Status.OPEN and item.moved
    page.goto(f"{live_server.url}/planning/?who=role:{ww.role.pk}&start={target.isoformat()}")
    day = page.locator(f"section.day:has(#day-{target.isoformat()})")
    assert day.locator(f"#item-{item.pk}").count() == 1
    assert page.locator(f"#item-{item.pk}").count() == 1
    page.screenshot(path=str(ARTIFACTS / "workui-planner-moved.png"), full_page=True)


def test_key_pages_render(ww: WorkWorld, live_server, page) -> None:
    # A weekly check gives the workload chart something to show.
    obligation_create(
        actor=ww.p.admin,
        contract=ww.contract,
        description="Weekly walk-round",
        responsible_role=ww.role.pk,
        scope="contract",
        interval_unit="week",
        interval=1,
        anchor_date=ww.today,
        lead_days=3,
        estimated_minutes=45,
    )
    log_in(page, live_server, "owner")
    for name, path in [
        ("workload", f"/planning/workload/?who=role:{ww.role.pk}"),
        ("obligations", f"/contracts/{ww.contract.pk}/obligations/"),
        ("obligation-form", f"/obligations/{ww.anchored.pk}/"),
        ("calendar", "/work/calendar/"),
        ("roles", "/work/roles/"),
        ("item", f"/work/items/{ww.item(ww.floating, ww.today - dt.timedelta(days=3)).pk}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        if name == "workload":
            page.wait_for_function("document.getElementById('workload-chart').width > 0")
        page.screenshot(path=str(ARTIFACTS / f"workui-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 800, "height": 1000})
    page.goto(f"{live_server.url}/my-work/")
    page.screenshot(path=str(ARTIFACTS / "workui-my-work-tablet.png"), full_page=True)


def test_my_work_filter_updates_the_list_and_the_url(ww: WorkWorld, live_server, page) -> None:
    log_in(page, live_server, "owner")
    assert page.locator("text=Filter change — M-100").count() == 1
    page.fill("#f-q", "inspection")
    page.wait_for_function("location.search.includes('q=inspection')")
    page.locator("text=Filter change — M-100").wait_for(state="detached")
    assert page.locator("text=Quarterly inspection — M-100").count() == 1
    page.reload()  # the filter lives in the URL: a bookmark shows the same list
    assert page.input_value("#f-q") == "inspection"
    assert page.locator("text=Filter change — M-100").count() == 0
