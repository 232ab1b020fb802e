"""Who sees and changes which work items and roles.

A work item is visible to its assignee, to the members of its role, and to whoever
sees its contract (team scope); anyone else gets a 404. Changing it needs to be its
assignee or a member of its role, or to hold `work.change_workitem` and see it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from servanda.contracts.access import contracts_visible_to
from servanda.core.scope import can_write

from .models import CalendarToken, Role, WorkItem


def my_role_ids(user: Any) -> Any:
    return Role.objects.filter(members=user).values("id")


def work_items_visible_to(user: Any) -> QuerySet[WorkItem]:
    qs = WorkItem.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(
        Q(assignee_user=user)
        | Q(assignee_role_id__in=my_role_ids(user))
        | Q(contract_id__in=contracts_visible_to(user).values("id"))
    )


def may_change_work_item(user: Any, item: WorkItem) -> bool:
    if user.is_superuser or item.assignee_user_id == user.pk:
        return True
    if (
        item.assignee_role_id is not None
        and Role.objects.filter(pk=item.assignee_role_id, members=user).exists()
    ):
        return True
    return can_write(user, WorkItem)


def get_work_item_for(user: Any, item_id: Any, *, write: bool = False) -> WorkItem:
    try:
        item = work_items_visible_to(user).get(pk=item_id)
    except (WorkItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such work item, or not visible to you.") from None
    if write and not may_change_work_item(user, item):
        raise PermissionDenied("You may read this work item but not change it.")
    return item


def roles_visible_to(user: Any) -> QuerySet[Role]:
    """Roles are the organisation's departments: every signed-in user may see them."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.objects.none()
    return Role.objects.all()


def get_role_for(user: Any, role_id: Any, *, write: bool = False) -> Role:
    try:
        role = roles_visible_to(user).get(pk=role_id)
    except (Role.DoesNotExist, ValueError, TypeError):
        raise Http404("No such role.") from None
    if write and not (user.is_superuser or can_write(user, Role)):
        raise PermissionDenied("Only administrators change roles.")
    return role


def get_calendar_token_for(user: Any, token_id: Any) -> CalendarToken:
    try:
        return CalendarToken.objects.get(pk=token_id, owner=user)
    except (CalendarToken.DoesNotExist, ValueError, TypeError):
        raise Http404("No such calendar token.") from None
