"""REST endpoints for roles, work items and calendar tokens: parse, check access, call, render."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import ConflictProblem, HistoryPage, Input, Problem, RefusedProblem
from servanda.core.errors import VersionRequired

from . import services
from .access import (
    get_calendar_token_for,
    get_role_for,
    get_work_item_for,
    roles_visible_to,
    work_items_visible_to,
)
from .models import CalendarToken, Role, WorkItem
from .selectors import work_items_filtered, workload

roles_router = Router(tags=["roles"])
router = Router(tags=["work items"])
tokens_router = Router(tags=["calendar"])

ERRORS: dict[int | str, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int | str, Any] = {**ERRORS, 409: ConflictProblem, 428: Problem}


# -- roles ---------------------------------------------------------------------------


class RoleOut(Schema):
    id: int
    name: str
    description: str
    team: int | None
    receives_notice_reminders: bool
    members: list[int]
    version: int


class RoleIn(Input):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    team: int | None = None
    receives_notice_reminders: bool = False
    members: list[int] = []


class RolePatch(Input):
    version: int | None = None
    name: str | None = None
    description: str | None = None
    team: int | None = None
    receives_notice_reminders: bool | None = None
    members: list[int] | None = None


def render_roles(roles: Iterable[Role]) -> list[dict[str, Any]]:
    rows = list(roles)
    members: dict[int, list[int]] = {r.pk: [] for r in rows}
    for role_id, user_id in Role.members.through.objects.filter(role_id__in=list(members)).values_list(
        "role_id", "user_id"
    ):
        members[role_id].append(user_id)
    return [
        {
            "id": r.pk,
            "name": r.name,
            "description": r.description,
            "team": r.team_id,
            "receives_notice_reminders": r.receives_notice_reminders,
            "members": sorted(members[r.pk]),
            "version": r.version,
        }
        for r in rows
    ]


def render_role(role: Role) -> dict[str, Any]:
    return render_roles([role])[0]


CURRENT_RENDERERS[Role] = render_role


def _team(team_id: int | None) -> Any:
    from django.contrib.auth.models import Group

    if team_id is None:
        return None
    team = Group.objects.filter(pk=team_id).first()
    if team is None:
        from servanda.core.errors import ValidationFailed

        raise ValidationFailed.one("team", f"no team with id {team_id}")
    return team


@roles_router.get("", response={200: page_of(RoleOut), **ERRORS}, summary="List roles")
def role_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    return paginate(roles_visible_to(request.user).order_by("name"), page, render_roles)


@roles_router.post("", response={201: RoleOut, **ERRORS}, summary="Create a role (administrators)")
def role_create(request: HttpRequest, payload: RoleIn) -> Status:
    from django.core.exceptions import PermissionDenied

    from servanda.core.scope import can_write

    if not (request.user.is_superuser or can_write(request.user, Role, "add")):
        raise PermissionDenied("Only administrators create roles.")
    data = payload.model_dump()
    role = services.role_create(
        actor=request.user,
        name=data["name"],
        description=data["description"],
        team=_team(data["team"]),
        receives_notice_reminders=data["receives_notice_reminders"],
        members=services.users_by_ids(data["members"]),
    )
    return Status(201, render_role(role))


@roles_router.get("/{id}", response={200: RoleOut, **ERRORS}, summary="One role")
def role_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return render_role(get_role_for(request.user, id))


@roles_router.patch("/{id}", response={200: RoleOut, **WRITE_ERRORS}, summary="Change a role and its members")
def role_update(request: HttpRequest, id: int, payload: RolePatch) -> dict[str, Any]:
    role = get_role_for(request.user, id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    members = changes.pop("members", None)
    if "team" in changes:
        changes["team"] = _team(changes["team"])
    if changes or version is not None:
        role = services.role_update(actor=request.user, role=role, version=version, **changes)
    elif members is None:
        raise VersionRequired("Send the version you read; updates without it are refused.")
    if members is not None:
        services.role_members_set(actor=request.user, role=role, users=services.users_by_ids(members))
    return render_role(role)


@roles_router.delete("/{id}", response={204: None, 409: RefusedProblem, **ERRORS}, summary="Delete a role")
def role_delete(request: HttpRequest, id: int) -> Status:
    services.role_delete(actor=request.user, role=get_role_for(request.user, id, write=True))
    return Status(204, None)


# -- work items ------------------------------------------------------------------------


class WorkItemOut(Schema):
    id: int
    title: str
    kind: str
    key: str | None
    status: str
    due_date: date
    visible_from: date
    occurrence_date: date | None
    obligation: int | None
    contract: int | None
    installation: int | None
    reason: str
    assignee_user: int | None
    assignee_role: int | None
    estimated_minutes: int | None
    completed_by: int | None
    completed_at: datetime | None
    completion_note: str
    moved: bool
    reassigned: bool
    version: int


def render_items(items: Iterable[WorkItem]) -> list[dict[str, Any]]:
    return [
        {
            "id": i.pk,
            "title": i.title,
            "kind": i.kind,
            "key": i.key,
            "status": i.status,
            "due_date": i.due_date,
            "visible_from": i.visible_from,
            "occurrence_date": i.occurrence_date,
            "obligation": i.obligation_id,
            "contract": i.contract_id,
            "installation": i.installation_id,
            "reason": i.reason,
            "assignee_user": i.assignee_user_id,
            "assignee_role": i.assignee_role_id,
            "estimated_minutes": i.estimated_minutes,
            "completed_by": i.completed_by_id,
            "completed_at": i.completed_at,
            "completion_note": i.completion_note,
            "moved": i.moved,
            "reassigned": i.reassigned,
            "version": i.version,
        }
        for i in items
    ]


def render_item(item: WorkItem) -> dict[str, Any]:
    return render_items([item])[0]


CURRENT_RENDERERS[WorkItem] = render_item


class WorkItemFilters(Schema):
    assignee: int | None = Field(None, description="user id")
    role: int | None = Field(None, description="role id")
    status: WorkItem.Status | None = None
    kind: WorkItem.Kind | None = None
    due_from: date | None = Field(None, description="due on or after")
    due_to: date | None = Field(None, description="due on or before")
    contract: int | None = None
    installation: int | None = None
    obligation: int | None = None


class VersionIn(Input):
    version: int | None = None


class MoveIn(VersionIn):
    due_date: date


class ReassignIn(VersionIn):
    assignee_user: int | None = None
    assignee_role: int | None = None
    note: str = ""


class CompleteIn(VersionIn):
    note: str = ""


class CancelIn(VersionIn):
    note: str = ""


class WeekOut(Schema):
    week_start: date
    minutes: int
    items: int


@router.get("", response={200: page_of(WorkItemOut), **ERRORS}, summary="List work items")
def work_item_list(
    request: HttpRequest, filters: Query[WorkItemFilters], page: Query[PageParams]
) -> dict[str, Any]:
    qs = work_items_filtered(work_items_visible_to(request.user), **filters.model_dump())
    return paginate(qs.order_by("due_date", "id"), page, render_items)


@router.get(
    "/workload", response={200: list[WeekOut], **ERRORS}, summary="Planned effort per week (Monday–Sunday)"
)
def work_item_workload(
    request: HttpRequest,
    role: int | None = None,
    user: int | None = None,
    weeks: int = Query(12, ge=1, le=104),  # type: ignore[type-arg]
    start: date | None = None,
) -> list[dict[str, Any]]:
    who = None
    if user is not None:
        who = get_user_model().objects.filter(pk=user).first()
        if who is None:
            raise Http404("No such user.")
    the_role = get_role_for(request.user, role) if role is not None else None
    return [w.__dict__ for w in workload(request.user, start=start, weeks=weeks, user=who, role=the_role)]


@router.get("/{id}", response={200: WorkItemOut, **ERRORS}, summary="One work item")
def work_item_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return render_item(get_work_item_for(request.user, id))


@router.get("/{id}/history", response={200: HistoryPage, **ERRORS}, summary="A work item's changes")
def work_item_history(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    item = get_work_item_for(request.user, id)
    return history_page(entity=services.ENTITY, entity_id=item.pk, params=page)


ACTION_ERRORS: dict[int | str, Any] = {**WRITE_ERRORS, 409: ConflictProblem}


@router.post("/{id}/move", response={200: WorkItemOut, **ACTION_ERRORS}, summary="Move to another day")
def work_item_move(request: HttpRequest, id: int, payload: MoveIn) -> dict[str, Any]:
    item = get_work_item_for(request.user, id, write=True)
    return render_item(
        services.work_item_move(
            actor=request.user, item=item, version=payload.version, due_date=payload.due_date
        )
    )


@router.post(
    "/{id}/reassign", response={200: WorkItemOut, **ACTION_ERRORS}, summary="Give to a person or role"
)
def work_item_reassign(request: HttpRequest, id: int, payload: ReassignIn) -> dict[str, Any]:
    item = get_work_item_for(request.user, id, write=True)
    user = None
    if payload.assignee_user is not None:
        user = services.users_by_ids([payload.assignee_user])[0]
    role = get_role_for(request.user, payload.assignee_role) if payload.assignee_role is not None else None
    return render_item(
        services.work_item_reassign(
            actor=request.user, item=item, version=payload.version, user=user, role=role, note=payload.note
        )
    )


@router.post("/{id}/claim", response={200: WorkItemOut, **ACTION_ERRORS}, summary="Take from my role's queue")
def work_item_claim(request: HttpRequest, id: int, payload: VersionIn) -> dict[str, Any]:
    item = get_work_item_for(request.user, id)
    return render_item(services.work_item_claim(actor=request.user, item=item, version=payload.version))


@router.post("/{id}/start", response={200: WorkItemOut, **ACTION_ERRORS}, summary="Start working on it")
def work_item_start(request: HttpRequest, id: int, payload: VersionIn) -> dict[str, Any]:
    item = get_work_item_for(request.user, id, write=True)
    return render_item(services.work_item_start(actor=request.user, item=item, version=payload.version))


@router.post("/{id}/complete", response={200: WorkItemOut, **ACTION_ERRORS}, summary="Complete, with a note")
def work_item_complete(request: HttpRequest, id: int, payload: CompleteIn) -> dict[str, Any]:
    item = get_work_item_for(request.user, id, write=True)
    return render_item(
        services.work_item_complete(actor=request.user, item=item, version=payload.version, note=payload.note)
    )


@router.post("/{id}/cancel", response={200: WorkItemOut, **ACTION_ERRORS}, summary="Cancel")
def work_item_cancel(request: HttpRequest, id: int, payload: CancelIn) -> dict[str, Any]:
    item = get_work_item_for(request.user, id, write=True)
    return render_item(
        services.work_item_cancel(actor=request.user, item=item, version=payload.version, note=payload.note)
    )


# -- calendar tokens ----------------------------------------------------------------------


class TokenIn(Input):
    role: int | None = Field(None, description="a role's queue; empty: my own work")
    label: str = ""


class TokenOut(Schema):
    id: int
    role: int | None
    label: str
    created_at: datetime
    revoked_at: datetime | None
    url: str | None = Field(None, description="the secret feed URL; shown only once, at creation")


def render_token(token: CalendarToken, url: str | None = None) -> dict[str, Any]:
    return {
        "id": token.pk,
        "role": token.role_id,
        "label": token.label,
        "created_at": token.created_at,
        "revoked_at": token.revoked_at,
        "url": url,
    }


@tokens_router.get("", response={200: page_of(TokenOut), **ERRORS}, summary="My calendar feeds")
def token_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    qs = CalendarToken.objects.filter(owner_id=request.user.pk)
    return paginate(qs, page, lambda rows: [render_token(t) for t in rows])


@tokens_router.post(
    "", response={201: TokenOut, **ERRORS, 409: RefusedProblem}, summary="New calendar feed URL"
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    from django.urls import reverse

    role = get_role_for(request.user, payload.role) if payload.role is not None else None
    token, secret = services.calendar_token_create(actor=request.user, role=role, label=payload.label)
    url = request.build_absolute_uri(reverse("work:calendar_feed", args=[secret]))
    return Status(201, render_token(token, url))


@tokens_router.delete("/{id}", response={204: None, **ERRORS}, summary="Revoke a calendar feed")
def token_revoke(request: HttpRequest, id: int) -> Status:
    services.calendar_token_revoke(actor=request.user, token=get_calendar_token_for(request.user, id))
    return Status(204, None)
