"""iCalendar (RFC 5545) feeds of work items: one per person, one per role queue.

Date-only items are all-day events (`DTSTART;VALUE=DATE`, `DTEND` the next day), with
the item's link and its status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db.models import Q
from icalendar import Calendar, Event

from .models import WorkItem

# VEVENT STATUS has no "done": done and open items are CONFIRMED, the exact status
# travels in X-SERVANDA-STATUS and in the description.
EVENT_STATUS = {
    WorkItem.Status.OPEN: "CONFIRMED",
    WorkItem.Status.IN_PROGRESS: "CONFIRMED",
    WorkItem.Status.DONE: "CONFIRMED",
    WorkItem.Status.CANCELLED: "CANCELLED",
}


def feed(*, name: str, items: Iterable[WorkItem], link: Callable[[WorkItem], str], host: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Servanda//Work items//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for item in items:
        ev = Event()
        ev.add("uid", f"work-item-{item.pk}@{host}")
        ev.add("summary", item.title)
        ev.add("dtstart", item.due_date)
        ev.add("dtend", item.due_date + timedelta(days=1))
        ev.add("dtstamp", item.updated_at)
        ev.add("url", link(item))
        ev.add("status", EVENT_STATUS[WorkItem.Status(item.status)])
        ev.add("x-servanda-status", item.status)
        ev.add("description", f"Status: {item.get_status_display()}\n{item.reason}\n{link(item)}")
        ev.add("sequence", item.version)
        cal.add_component(ev)
    return cal.to_ical()


def feed_window(today: date) -> Q:
    """What a feed carries: every open or started item (overdue ones too), and closed
    ones of the last 90 days and ahead."""
    return Q(status__in=(WorkItem.Status.OPEN, WorkItem.Status.IN_PROGRESS)) | Q(
        due_date__gte=today - timedelta(days=90)
    )
