"""My work: mine and my roles' unclaimed items, overdue first, with a filter bar in the URL."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from servanda.work.models import Role
from servanda.work.selectors import my_work_items

from .common import S, parse_date, parse_int, status_list

LIMIT = 200


def my_work_context(user: Any, params: QueryDict) -> dict[str, Any]:
    """The list as the filters in `params` ask for it (also re-rendered after an action)."""
    statuses = status_list(params)
    upcoming = params.get("upcoming") == "1"
    qs = my_work_items(user, statuses=statuses, upcoming=upcoming)
    my_roles = list(Role.objects.filter(members=user).order_by("name"))
    scope = params.get("assigned", "")
    if scope == "me":
        qs = qs.filter(assignee_user=user)
    elif scope.startswith("role:"):
        # my_work_items already keeps to my roles: another role's id simply matches nothing.
        qs = qs.filter(assignee_role_id=parse_int(scope.partition(":")[2]))
    due_from, due_to = parse_date(params.get("due_from")), parse_date(params.get("due_to"))
    if due_from:
        qs = qs.filter(due_date__gte=due_from)
    if due_to:
        qs = qs.filter(due_date__lte=due_to)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(contract__number__icontains=q)
            | Q(installation__serial_number__icontains=q)
            | Q(reason__icontains=q)
        )
    total = qs.count()
    filtered = bool(q or due_from or due_to or scope or upcoming or params.getlist("status"))
    return {
        "items": list(qs[:LIMIT]),
        "total": total,
        "limit": LIMIT,
        "today": timezone.localdate(),
        "my_role_ids": {r.pk for r in my_roles},
        "my_roles": my_roles,
        "role_options": [(f"role:{r.pk}", r.name) for r in my_roles],
        "statuses": S.choices,
        "selected_statuses": statuses,
        "assigned": scope,
        "due_from": due_from,
        "due_to": due_to,
        "q": q,
        "upcoming": upcoming,
        "filtered": filtered,
        "query": params.urlencode(),
        "view": "my-work",
    }


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    return render(request, "work/my_work.html", my_work_context(request.user, request.GET))
