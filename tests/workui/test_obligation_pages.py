"""A contract's obligations page and form, and the calendar feed page."""

from __future__ import annotations

import datetime as dt
import re

import vobject
from django.test import Client

from servanda.obligations.models import Obligation
from servanda.work.models import CalendarToken, WorkItem

from .conftest import WorkWorld, month_after


def as_user(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


FORM = {
    "description": "Annual safety test",
    "recurrence": "interval",
    "interval": "1",
    "interval_unit": "year",
    "rrule": "",
    "anchor_date": "",
    "scope": "contract",
    "responsible": "",
    "lead_days": "30",
    "estimated_minutes": "240",
    "mode": "anchored",
}


def test_list_shows_recurrence_and_next_due(ww: WorkWorld) -> None:
    html = as_user(ww.p.owner).get(f"/contracts/{ww.contract.pk}/obligations/").content.decode()
    assert "Quarterly inspection" in html and "every 3 months from" in html
    assert "Filter change" in html and "Floating" in html
    assert "overdue by 10 days" in html  # the inspection's next open occurrence
    assert f"/obligations/{ww.anchored.pk}/" in html


def test_stranger_and_anonymous_get_nothing(ww: WorkWorld) -> None:
    stranger = as_user(ww.p.stranger)
    assert stranger.get(f"/contracts/{ww.contract.pk}/obligations/").status_code == 404
    assert stranger.get(f"/obligations/{ww.anchored.pk}/").status_code == 404
    assert stranger.post(f"/contracts/{ww.contract.pk}/obligations/new/", FORM).status_code == 404
    r = Client().get(f"/contracts/{ww.contract.pk}/obligations/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert (
        as_user(ww.p.readonly).post(f"/contracts/{ww.contract.pk}/obligations/new/", FORM).status_code == 403
    )
    assert not Obligation.objects.filter(description="Annual safety test").exists()


def test_create_by_interval_plans_its_work(ww: WorkWorld) -> None:
    anchor = ww.today + dt.timedelta(days=20)
    data = {**FORM, "anchor_date": anchor.isoformat(), "responsible": f"role:{ww.role.pk}"}
    r = as_user(ww.p.owner).post(f"/contracts/{ww.contract.pk}/obligations/new/", data)
    assert r.status_code == 302 and r["Location"] == f"/contracts/{ww.contract.pk}/obligations/"
    obl = Obligation.objects.get(description="Annual safety test")
    assert obl.active and obl.interval == 1 and obl.interval_unit == "year" and obl.rrule == ""
    assert obl.responsible_role == ww.role and obl.estimated_minutes == 240
    first = WorkItem.objects.filter(obligation=obl).order_by("due_date").first()
    assert first is not None and first.due_date == anchor and first.assignee_role == ww.role


def test_create_by_rrule_is_stored_as_typed(ww: WorkWorld) -> None:
    rule = "FREQ=MONTHLY;BYMONTHDAY=-1"
    data = {
        **FORM,
        "recurrence": "rrule",
        "rrule": rule,
        "anchor_date": ww.today.isoformat(),
        "scope": "contract",
    }
    r = as_user(ww.p.owner).post(f"/contracts/{ww.contract.pk}/obligations/new/", data)
    assert r.status_code == 302
    obl = Obligation.objects.get(description="Annual safety test")
    assert obl.rrule == rule and obl.interval is None and obl.interval_unit == ""
    dues = list(
        WorkItem.objects.filter(obligation=obl).order_by("due_date").values_list("due_date", flat=True)[:2]
    )
    # BYMONTHDAY=-1: the last day of each month from the anchor on.
    assert all((d + dt.timedelta(days=1)).day == 1 for d in dues) and dues[0] >= ww.today


def test_bad_rule_is_shown_at_its_field_and_nothing_typed_is_lost(ww: WorkWorld) -> None:
    data = {**FORM, "recurrence": "rrule", "rrule": "FREQ=SOMETIMES", "description": "Odd one"}
    r = as_user(ww.p.owner).post(f"/contracts/{ww.contract.pk}/obligations/new/", data)
    html = r.content.decode()
    assert r.status_code == 200 and "has-error" in html
    assert re.search(r'id="id_rrule_err"', html)
    assert 'value="Odd one"' in html and "FREQ=SOMETIMES" in html
    assert not Obligation.objects.filter(description="Odd one").exists()


def test_edit_with_stale_version_shows_both(ww: WorkWorld) -> None:
    client = as_user(ww.p.owner)
    url = f"/obligations/{ww.anchored.pk}/"
    page = client.get(url).content.decode()
    assert 'name="version" value="1"' in page and 'value="Quarterly inspection"' in page
    base = {
        **FORM,
        "version": "1",
        "description": "Quarterly inspection",
        "interval": "3",
        "interval_unit": "month",
        "anchor_date": ww.anchored.anchor_date.isoformat(),
        "responsible": f"role:{ww.role.pk}",
        "lead_days": "14",
        "estimated_minutes": "90",
        "active": "on",
    }
    assert as_user(ww.p.colleague).post(url, {**base, "lead_days": "21"}).status_code == 302
    r = client.post(url, {**base, "description": "Quarterly inspection and cleaning"})
    html = r.content.decode()
    assert r.status_code == 200 and "Someone else changed this" in html
    assert "21" in html and "Quarterly inspection and cleaning" in html  # theirs and yours
    assert 'name="version" value="2"' in html  # saving again applies mine over theirs
    ww.anchored.refresh_from_db()
    assert ww.anchored.description == "Quarterly inspection" and ww.anchored.lead_days == 21
    again = client.post(
        url, {**base, "version": "2", "lead_days": "21", "description": "Quarterly inspection and cleaning"}
    )
    assert again.status_code == 302
    ww.anchored.refresh_from_db()
    assert ww.anchored.description == "Quarterly inspection and cleaning"


def test_edit_changes_the_schedule(ww: WorkWorld) -> None:
    url = f"/obligations/{ww.floating.pk}/"
    data = {
        **FORM,
        "version": "1",
        "description": "Filter change",
        "interval": "2",
        "interval_unit": "month",
        "anchor_date": ww.floating.anchor_date.isoformat(),
        "responsible": f"user:{ww.p.owner.pk}",
        "lead_days": "45",
        "estimated_minutes": "30",
        "mode": "floating",
        "active": "on",
    }
    assert as_user(ww.p.owner).post(url, data).status_code == 302
    item = WorkItem.objects.get(obligation=ww.floating, status="open")
    as_user(ww.p.owner).post(
        f"/work/items/{item.pk}/complete/", {"version": item.version, "view": "my-work", "query": ""}
    )
    nxt = WorkItem.objects.get(obligation=ww.floating, status="open")
    assert nxt.due_date == month_after(ww.today, 2)


def test_calendar_page_creates_shows_once_and_revokes(ww: WorkWorld) -> None:
    client = as_user(ww.p.owner)
    page = client.get("/work/calendar/").content.decode()
    assert "Service North queue" in page and "No feed address yet" in page
    r = client.post("/work/calendar/new/", {"label": "phone"})
    html = r.content.decode()
    url = re.search(r'id="new-url" type="text" readonly value="([^"]+)"', html).group(1)
    path = url.split("testserver", 1)[1]
    feed = Client().get(path)
    assert feed.status_code == 200
    cal = vobject.readOne(feed.content.decode())
    titles = {ev.summary.value for ev in cal.vevent_list}
    assert "Filter change — M-100" in titles and not any("Quarterly" in t for t in titles)
    assert url not in client.get("/work/calendar/").content.decode()  # shown once
    token = CalendarToken.objects.get(owner=ww.p.owner)
    r = client.post(f"/work/calendar/{token.pk}/revoke/")
    assert r.status_code == 302 and Client().get(path).status_code == 404
    # A role feed, and someone else's token cannot be revoked.
    client.post("/work/calendar/new/", {"role": str(ww.role.pk)})
    role_token = CalendarToken.objects.get(role=ww.role)
    assert as_user(ww.p.stranger).post(f"/work/calendar/{role_token.pk}/revoke/").status_code == 404
    assert as_user(ww.p.stranger).post("/work/calendar/new/", {"role": str(ww.role.pk)}).status_code == 302
    assert not CalendarToken.objects.filter(owner=ww.p.stranger).exists()
