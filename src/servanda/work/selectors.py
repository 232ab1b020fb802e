"""Reads for "My work", role queues, the planner and the workload chart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .access import my_role_ids, work_items_visible_to
from .models import Role, WorkItem

S = WorkItem.Status
LIVE = (S.OPEN, S.IN_PROGRESS)
RELATED = ("contract", "installation", "assignee_user", "assignee_role", "obligation")


def my_work_items(
    user: Any,
    *,
    today: date | None = None,
    include_roles: bool = True,
    statuses: Iterable[str] = LIVE,
    upcoming: bool = False,
) -> QuerySet[WorkItem]:
    """Mine and my roles' unclaimed items, overdue first (earliest due first).

    Only items already visible (`visible_from <= today`) unless `upcoming`.
    """
    today = today or timezone.localdate()
    mine = Q(assignee_user=user)
    if include_roles:
        mine |= Q(assignee_user__isnull=True, assignee_role_id__in=my_role_ids(user))
    qs = WorkItem.objects.filter(mine, status__in=list(statuses))
    if not upcoming:
        qs = qs.filter(visible_from__lte=today)
    return qs.select_related(*RELATED).order_by("due_date", "id")


def role_queue(role: Role, *, today: date | None = None, upcoming: bool = False) -> QuerySet[WorkItem]:
    """The role's open items nobody has claimed yet."""
    today = today or timezone.localdate()
    qs = WorkItem.objects.filter(assignee_role=role, assignee_user__isnull=True, status=S.OPEN)
    if not upcoming:
        qs = qs.filter(visible_from__lte=today)
    return qs.select_related(*RELATED).order_by("due_date", "id")


def planner_items(
    viewer: Any,
    *,
    start: date,
    end: date,
    user: Any = None,
    role: Role | None = None,
    statuses: Iterable[str] = LIVE,
) -> QuerySet[WorkItem]:
    """Items due in `[start, end]` (inclusive) for a person or a role, as `viewer` may see them."""
    qs = work_items_visible_to(viewer).filter(
        due_date__gte=start, due_date__lte=end, status__in=list(statuses)
    )
    if user is not None:
        qs = qs.filter(assignee_user=user)
    if role is not None:
        qs = qs.filter(assignee_role=role)
    return qs.select_related(*RELATED).order_by("due_date", "id")


@dataclass(frozen=True)
class WeekLoad:
    week_start: date  # a Monday
    minutes: int
    items: int


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def workload(
    viewer: Any,
    *,
    start: date | None = None,
    weeks: int = 12,
    user: Any = None,
    role: Role | None = None,
) -> list[WeekLoad]:
    """Planned effort per week (Monday to Sunday) for `weeks` weeks from `start`'s week.

    One query; items without an estimate count as items with zero minutes.
    """
    first = week_start(start or timezone.localdate())
    last = first + timedelta(weeks=weeks) - timedelta(days=1)
    qs = planner_items(viewer, start=first, end=last, user=user, role=role)
    minutes = [0] * weeks
    counts = [0] * weeks
    for due, est in qs.values_list("due_date", "estimated_minutes").order_by():
        i = (due - first).days // 7
        minutes[i] += est or 0
        counts[i] += 1
    return [WeekLoad(first + timedelta(weeks=i), minutes[i], counts[i]) for i in range(weeks)]


def work_items_filtered(qs: QuerySet[WorkItem], **filters: Any) -> QuerySet[WorkItem]:
    """The API's filters: assignee, role, status, due range, contract, installation, kind."""
    mapping = {
        "assignee": "assignee_user_id",
        "role": "assignee_role_id",
        "status": "status",
        "kind": "kind",
        "contract": "contract_id",
        "installation": "installation_id",
        "obligation": "obligation_id",
        "due_from": "due_date__gte",
        "due_to": "due_date__lte",
    }
    for name, value in filters.items():
        if value is not None and name in mapping:
            qs = qs.filter(**{mapping[name]: value})
    return qs
