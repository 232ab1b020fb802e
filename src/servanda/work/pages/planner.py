"""The planner (items grouped by day, per person or role, by week or month) and the workload chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from servanda.rules.periods import add_months_clamped
from servanda.work.models import WorkItem
from servanda.work.selectors import planner_items, week_start, workload

from .common import S, assignee_choices, changeable_ids, parse_date, resolve_who, status_list, who_choices

WORKLOAD_WEEKS = 12


@dataclass
class Day:
    day: dt.date
    items: list[WorkItem] = field(default_factory=list)


def _span(params: QueryDict, today: dt.date) -> tuple[str, dt.date, dt.date, dt.date, dt.date]:
    """(span, start, end inclusive, previous start, next start) for `?span=week|month&start=`."""
    span = "month" if params.get("span") == "month" else "week"
    anchor = parse_date(params.get("start")) or today
    if span == "month":
        start = anchor.replace(day=1)
        nxt = add_months_clamped(start, 1)
        return span, start, nxt - dt.timedelta(days=1), add_months_clamped(start, -1), nxt
    start = week_start(anchor)
    return (
        span,
        start,
        start + dt.timedelta(days=6),
        start - dt.timedelta(days=7),
        start + dt.timedelta(days=7),
    )


def _params_with(params: QueryDict, **changes: str) -> str:
    copy = params.copy()
    for key, value in changes.items():
        copy[key] = value
    return copy.urlencode()


def planner_context(viewer: Any, params: QueryDict) -> dict[str, Any]:
    today = timezone.localdate()
    who = resolve_who(viewer, params.get("who"))
    span, start, end, prev_start, next_start = _span(params, today)
    statuses = status_list(params)
    items = planner_items(viewer, start=start, end=end, user=who.user, role=who.role, statuses=statuses)
    by_day: dict[dt.date, Day] = {}
    if span == "week":
        by_day = {start + dt.timedelta(days=i): Day(start + dt.timedelta(days=i)) for i in range(7)}
    for item in items:
        by_day.setdefault(item.due_date, Day(item.due_date)).items.append(item)
    days = sorted(by_day.values(), key=lambda d: d.day)
    shown = [i for d in days for i in d.items]
    return {
        "who": who,
        "who_choices": who_choices(viewer),
        "assignee_choices": assignee_choices(viewer),
        "span": span,
        "start": start,
        "end": end,
        "days": days,
        "count": len(shown),
        "changeable": changeable_ids(viewer, shown),
        "today": today,
        "statuses": S.choices,
        "selected_statuses": statuses,
        "prev_query": _params_with(params, start=prev_start.isoformat()),
        "next_query": _params_with(params, start=next_start.isoformat()),
        "today_query": _params_with(params, start=today.isoformat()),
        "query": params.urlencode(),
        "view": "planner",
    }


@login_required
def planner(request: HttpRequest) -> HttpResponse:
    return render(request, "work/planner.html", planner_context(request.user, request.GET))


@login_required
def workload_page(request: HttpRequest) -> HttpResponse:
    who = resolve_who(request.user, request.GET.get("who"))
    weeks = workload(request.user, weeks=WORKLOAD_WEEKS, user=who.user, role=who.role)
    rows = [
        {
            "week": w.week_start,
            "end": w.week_start + dt.timedelta(days=6),
            "items": w.items,
            "hours": round(w.minutes / 60, 1),
        }
        for w in weeks
    ]
    chart = {
        "labels": [f"{w.week_start:%d %b}" for w in weeks],
        "hours": [r["hours"] for r in rows],
        "items": [r["items"] for r in rows],
    }
    context = {
        "who": who,
        "who_choices": who_choices(request.user),
        "rows": rows,
        "chart": chart,
        "total_hours": round(sum(w.minutes for w in weeks) / 60, 1),
        "total_items": sum(w.items for w in weeks),
        "weeks": WORKLOAD_WEEKS,
    }
    return render(request, "work/workload.html", context)
