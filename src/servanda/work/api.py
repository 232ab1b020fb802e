"""REST endpoints for roles, work items and calendar tokens: parse, check access, call, render."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import ERRORS, WRITE_ERRORS, ConflictProblem, HistoryPage, Input

from . import services
from .access import (
    get_role_for,
    get_work_item_for,
    work_items_visible_to,
)
from .models import WorkItem
from .selectors import work_items_filtered, workload

router = Router(tags=["work items"])


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
