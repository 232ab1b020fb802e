"""What the work pages share: parsing query values, the person-or-role choice, status tones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, QueryDict

from servanda.work.access import roles_visible_to
from servanda.work.models import Role, WorkItem

S = WorkItem.Status
LIVE = (S.OPEN, S.IN_PROGRESS)
STATUS_TONE = {S.OPEN: "grey", S.IN_PROGRESS: "blue", S.DONE: "green", S.CANCELLED: "grey"}
# Amber from this many days before the due date: soon enough to matter, not a sea of amber.
AT_RISK_DAYS = 2


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def parse_int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def status_list(params: QueryDict, default: tuple[str, ...] = LIVE) -> list[str]:
    """`?status=open&status=done`; `all` is every status; unknown values are ignored."""
    wanted = [s for s in params.getlist("status") if s]
    if "all" in wanted:
        return list(S.values)
    picked = [s for s in wanted if s in S.values]
    return picked or list(default)


@dataclass(frozen=True)
class Who:
    """Whose work a page shows: `me`, `user:<id>` or `role:<id>`."""

    value: str
    label: str
    user: Any = None
    role: Role | None = None


def active_users() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("username")


def user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def resolve_who(viewer: Any, raw: str | None) -> Who:
    """The person or role asked for; Http404 for one that does not exist."""
    raw = (raw or "me").strip()
    if raw == "me":
        return Who("me", "Me", user=viewer)
    kind, _, ident = raw.partition(":")
    pk = parse_int(ident)
    if kind == "role" and pk is not None:
        role = roles_visible_to(viewer).filter(pk=pk).first()
        if role is not None:
            return Who(raw, role.name, role=role)
    if kind == "user" and pk is not None:
        user = active_users().filter(pk=pk).first()
        if user is not None:
            return Who("me" if user.pk == viewer.pk else raw, user_label(user), user=user)
    raise Http404("No such person or role.")


def who_choices(viewer: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped options for a person-or-role select: me and my roles first, then everyone."""
    mine = list(roles_visible_to(viewer).filter(members=viewer).order_by("name"))
    mine_ids = {r.pk for r in mine}
    other_roles = [r for r in roles_visible_to(viewer).order_by("name") if r.pk not in mine_ids]
    people = [u for u in active_users() if u.pk != viewer.pk]
    groups = [("Me and my roles", [("me", "Me"), *[(f"role:{r.pk}", r.name) for r in mine]])]
    if other_roles:
        groups.append(("Other roles", [(f"role:{r.pk}", r.name) for r in other_roles]))
    if people:
        groups.append(("People", [(f"user:{u.pk}", user_label(u)) for u in people]))
    return groups


def assignee_choices(viewer: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Where an item can be reassigned: any role's queue or any active person."""
    roles = [(f"role:{r.pk}", f"{r.name} (queue)") for r in roles_visible_to(viewer).order_by("name")]
    people = [(f"user:{u.pk}", user_label(u)) for u in active_users()]
    return [("Roles", roles), ("People", people)]


def assignee_value(item: WorkItem) -> str:
    if item.assignee_user_id is not None:
        return f"user:{item.assignee_user_id}"
    if item.assignee_role_id is not None:
        return f"role:{item.assignee_role_id}"
    return ""


def changeable_ids(viewer: Any, items: list[WorkItem]) -> set[int]:
    """The items `viewer` may change, set-wise: the same rule as `access.may_change_work_item`
    (assignee, role member, or the change permission), answered with one query for all."""
    from servanda.core.scope import can_write

    if viewer.is_superuser or can_write(viewer, WorkItem):
        return {i.pk for i in items}
    roles = set(Role.objects.filter(members=viewer).values_list("id", flat=True))
    return {i.pk for i in items if i.assignee_user_id == viewer.pk or i.assignee_role_id in roles}
