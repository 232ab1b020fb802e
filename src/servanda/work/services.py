"""Writes on work items, roles and calendar tokens. Each: one transaction, its event."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from servanda.core.errors import FieldError, Refused, ValidationFailed
from servanda.core.versioning import lock_current
from servanda.events.services import event_record, event_record_many

from .models import CalendarToken, Role, WorkItem

S = WorkItem.Status
ENTITY = "work_item"


def _change(actor: Any, current: WorkItem, action: str, note: str = "", **fields: Any) -> WorkItem:
    """Apply `fields` to the locked current row and record the change."""
    changes: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        old = getattr(current, name)
        if old != value:
            changes[name.removesuffix("_id")] = {"old": old, "new": value}
            setattr(current, name, value)
    current.version += 1
    current.save()
    event_record(actor=actor, entity=ENTITY, entity_id=current.pk, action=action, changes=changes, note=note)
    return current


def _refuse_closed(item: WorkItem, what: str) -> None:
    if item.status in (S.DONE, S.CANCELLED):
        raise Refused(f"This work item is {item.get_status_display().lower()}; it cannot be {what}.")


def work_item_move(
    *, actor: Any, item: WorkItem, version: int | None, due_date: date, note: str = ""
) -> WorkItem:
    """Plan it on another day; the schedule keeps it there (DESIGN convention 10)."""
    if not isinstance(due_date, date):
        raise ValidationFailed.one("due_date", "a date (YYYY-MM-DD)")
    with transaction.atomic():
        item = lock_current(WorkItem, item.pk, version)
        _refuse_closed(item, "moved")
        lead = item.due_date - item.visible_from
        return _change(
            actor, item, "moved", note, due_date=due_date, visible_from=due_date - lead, moved=True
        )


def work_item_reassign(
    *,
    actor: Any,
    item: WorkItem,
    version: int | None,
    user: Any = None,
    role: Role | None = None,
    note: str = "",
) -> WorkItem:
    """Give it to a person, or to a role's queue (or both: a person on behalf of a role)."""
    if user is None and role is None:
        raise ValidationFailed([FieldError("assignee_user", "name a person or a role")])
    with transaction.atomic():
        item = lock_current(WorkItem, item.pk, version)
        _refuse_closed(item, "reassigned")
        return _change(
            actor,
            item,
            "reassigned",
            note,
            assignee_user_id=None if user is None else user.pk,
            assignee_role_id=None if role is None else role.pk,
            reassigned=True,
        )


def work_item_claim(*, actor: Any, item: WorkItem, version: int | None) -> WorkItem:
    """A role member takes an item from the role's queue.

    Taking it is a person's choice of who does it, like a reassignment: a later change
    of the obligation's responsible or rule must not take it away again (convention 10).
    """
    with transaction.atomic():
        item = lock_current(WorkItem, item.pk, version)
        _refuse_closed(item, "claimed")
        if (
            item.assignee_role_id is None
            or not Role.objects.filter(pk=item.assignee_role_id, members=actor).exists()
        ):
            raise Refused("Only members of the item's role can claim it.")
        if item.assignee_user_id not in (None, actor.pk):
            raise Refused("Someone else has already claimed this item.")
        return _change(actor, item, "claimed", assignee_user_id=actor.pk, reassigned=True)


def work_item_start(*, actor: Any, item: WorkItem, version: int | None) -> WorkItem:
    with transaction.atomic():
        item = lock_current(WorkItem, item.pk, version)
        if item.status != S.OPEN:
            raise Refused("Only an open work item can be started.")
        fields: dict[str, Any] = {"status": S.IN_PROGRESS}
        if item.assignee_user_id is None:
            fields["assignee_user_id"] = actor.pk
        return _change(actor, item, "started", **fields)


def work_item_complete(
    *,
    actor: Any,
    item: WorkItem,
    version: int | None,
    note: str = "",
    completed_on: date | None = None,
) -> WorkItem:
    """Done, with who, when and a note. Early completion closes the occurrence (its key
    stays), and a floating obligation gets its next occurrence counted from today."""
    with transaction.atomic():
        item = lock_current(WorkItem, item.pk, version)
        _refuse_closed(item, "completed")
        now = timezone.now()
        current = _change(
            actor,
            item,
            "completed",
            note,
            status=S.DONE,
            completed_by_id=actor.pk,
            completed_at=now,
            completed_on=completed_on or timezone.localdate(now),
            completion_note=note,
        )
        if current.obligation_id is not None:
            from servanda.obligations.generation import schedule_generate, schedule_today
            from servanda.obligations.models import Mode, Obligation

            if Obligation.objects.filter(pk=current.obligation_id, mode=Mode.FLOATING).exists():
                schedule_generate(today=schedule_today(), obligation_ids=[current.obligation_id], actor=actor)
        return current


def work_item_cancel(*, actor: Any, item: WorkItem, version: int | None, note: str = "") -> WorkItem:
    """A person cancels it; the schedule will not bring it back."""
    with transaction.atomic():
        item = lock_current(WorkItem, item.pk, version)
        _refuse_closed(item, "cancelled")
        return _change(actor, item, "cancelled", note, status=S.CANCELLED, cancelled_by_schedule=False)


# -- roles ---------------------------------------------------------------------------


def _role_snapshot(role: Role) -> dict[str, Any]:
    return {
        "name": role.name,
        "description": role.description,
        "team": role.team_id,
        "receives_notice_reminders": role.receives_notice_reminders,
    }


def _check_role(role: Role) -> None:
    if not role.name.strip():
        raise ValidationFailed.one("name", "a role needs a name")
    if Role.objects.filter(name__iexact=role.name.strip()).exclude(pk=role.pk).exists():
        raise ValidationFailed.one("name", f"a role named {role.name!r} exists already")


def role_create(
    *,
    actor: Any,
    name: str,
    description: str = "",
    team: Group | None = None,
    receives_notice_reminders: bool = False,
    members: Iterable[Any] = (),
) -> Role:
    with transaction.atomic():
        role = Role(
            name=name.strip(),
            description=description,
            team=team,
            receives_notice_reminders=receives_notice_reminders,
        )
        _check_role(role)
        role.save()
        users = list(members)
        role.members.set(users)
        _adopt_notice_reminders(actor, role)
        event_record(
            actor=actor,
            entity="role",
            entity_id=role.pk,
            action="created",
            changes={
                **{k: {"old": None, "new": v} for k, v in _role_snapshot(role).items()},
                "members": {"old": [], "new": sorted(u.pk for u in users)},
            },
        )
    return role


def role_update(*, actor: Any, role: Role, version: int | None, **changes: Any) -> Role:
    allowed = {"name", "description", "team", "receives_notice_reminders"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed([FieldError(n, "unknown field") for n in sorted(unknown)])
    with transaction.atomic():
        current = lock_current(Role, role.pk, version)
        before = _role_snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value.strip() if name == "name" else value)
        _check_role(current)
        current.version += 1
        current.save()
        _adopt_notice_reminders(actor, current)
        after = _role_snapshot(current)
        event_record(
            actor=actor,
            entity="role",
            entity_id=current.pk,
            action="updated",
            changes={k: {"old": before[k], "new": after[k]} for k in after if before[k] != after[k]},
        )
    return current


def _adopt_notice_reminders(actor: Any, role: Role) -> None:
    """A role that now receives notice reminders takes the open ones nobody has: those
    generated while no role was marked would otherwise sit in no one's work."""
    if not role.receives_notice_reminders:
        return
    items = WorkItem.objects.filter(
        kind=WorkItem.Kind.NOTICE,
        status=S.OPEN,
        assignee_user__isnull=True,
        assignee_role__isnull=True,
    )
    if role.team_id is not None:
        items = items.filter(contract__team_id=role.team_id)
    ids = list(items.values_list("id", flat=True))
    if not ids:
        return
    WorkItem.objects.filter(id__in=ids).update(
        assignee_role=role, version=F("version") + 1, updated_at=timezone.now()
    )
    event_record_many(
        actor=actor,
        entity=ENTITY,
        action="assigned",
        items=((i, {"assignee_role": {"old": None, "new": role.pk}}) for i in ids),
        note="notice reminder given to the role that now receives them",
    )


def role_members_set(*, actor: Any, role: Role, users: Iterable[Any]) -> Role:
    with transaction.atomic():
        before = sorted(role.members.values_list("pk", flat=True))
        wanted = list(users)
        role.members.set(wanted)
        after = sorted(u.pk for u in wanted)
        if before != after:
            event_record(
                actor=actor,
                entity="role",
                entity_id=role.pk,
                action="members_changed",
                changes={"members": {"old": before, "new": after}},
            )
    return role


def role_member_add(*, actor: Any, role: Role, user: Any) -> Role:
    return role_members_set(actor=actor, role=role, users=[*role.members.all(), user])


def role_member_remove(*, actor: Any, role: Role, user: Any) -> Role:
    return role_members_set(actor=actor, role=role, users=[u for u in role.members.all() if u.pk != user.pk])


def role_delete(*, actor: Any, role: Role) -> None:
    with transaction.atomic():
        if WorkItem.objects.filter(assignee_role=role, status__in=(S.OPEN, S.IN_PROGRESS)).exists():
            raise Refused("This role still has open work items; reassign them first.")
        pk = role.pk
        role.delete()
        event_record(actor=actor, entity="role", entity_id=pk, action="deleted")


# -- calendar tokens -----------------------------------------------------------------


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def calendar_token_create(
    *, actor: Any, role: Role | None = None, label: str = ""
) -> tuple[CalendarToken, str]:
    """A new feed token; the secret is returned once and only its digest is kept."""
    if role is not None and not (actor.is_superuser or role.members.filter(pk=actor.pk).exists()):
        raise Refused("Only members of a role can subscribe to its calendar.")
    with transaction.atomic():
        secret = secrets.token_urlsafe(32)
        token = CalendarToken.objects.create(owner=actor, role=role, label=label, digest=token_digest(secret))
        event_record(
            actor=actor,
            entity="calendar_token",
            entity_id=token.pk,
            action="created",
            changes={"role": {"old": None, "new": None if role is None else role.pk}},
        )
    return token, secret


def calendar_token_revoke(*, actor: Any, token: CalendarToken) -> CalendarToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            event_record(actor=actor, entity="calendar_token", entity_id=token.pk, action="revoked")
    return token


def users_by_ids(ids: Iterable[int]) -> list[Any]:
    wanted = set(ids)
    users = list(get_user_model().objects.filter(pk__in=wanted))
    if len(users) != len(wanted):
        missing = sorted(wanted - {u.pk for u in users})
        raise ValidationFailed.one("members", f"no such users: {missing}")
    return users
