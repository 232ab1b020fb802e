"""REST endpoints for roles (people's departments) and calendar-feed tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import ERRORS, WRITE_ERRORS, Input, RefusedProblem
from servanda.core.errors import VersionRequired

from . import services
from .access import get_calendar_token_for, get_role_for, roles_visible_to
from .models import CalendarToken, Role

roles_router = Router(tags=["roles"])
tokens_router = Router(tags=["calendar"])


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
