"""Small helpers every resource module shares: ordering, references, teams, dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema

from servanda.core.errors import FieldError, ValidationFailed

M = TypeVar("M", bound=Model)
# Replaces referenced ids in a body by the objects the caller may see (422 otherwise).
Resolver = Callable[[HttpRequest, dict[str, Any]], None]


def today() -> date:
    """Today in the site's zone (settings.TIME_ZONE), the default of every `?on=`."""
    return timezone.localdate()


def ordered(qs: QuerySet[M], ordering: str | None, allowed: tuple[str, ...]) -> QuerySet[M]:
    """`?ordering=field,-other` limited to `allowed`; ties broken by id so pages are stable."""
    if not ordering:
        return qs
    keys = [k.strip() for k in ordering.split(",") if k.strip()]
    bad = [k for k in keys if k.lstrip("-") not in allowed]
    if bad:
        raise ValidationFailed.one("ordering", f"cannot order by {', '.join(bad)}; use {', '.join(allowed)}")
    return qs.order_by(*keys, "id")


def visible_ref(visible: QuerySet[M], value: Any, field: str, what: str) -> M | None:
    """The referenced object among those the caller can see; otherwise a 422 on that field.

    Saying "no such X" for invisible ones keeps other teams' objects from being probed.
    """
    if value is None:
        return None
    found = visible.filter(pk=value).first()
    if found is None:
        raise ValidationFailed.one(field, f"no {what} with id {value}")
    return found


def _caller_team(user: Any, requested: int) -> Group:
    teams = Group.objects.all() if user.is_superuser else user.groups.all()
    team = teams.filter(pk=requested).first()
    if team is None:
        raise ValidationFailed.one("team", f"you are not a member of team {requested}")
    return team


def team_for_create(user: Any, requested: int | None) -> Group | None:
    """The team a new object belongs to: the one asked for (a team of the caller's), else the
    caller's first team, so a team member's new objects stay within the team."""
    if requested is not None:
        return _caller_team(user, requested)
    if user.is_superuser:
        return None
    return user.groups.order_by("id").first()


def team_change(user: Any, requested: int | None) -> Group | None:
    """A PATCH's `team`: null makes the object visible to all; otherwise one of the caller's teams."""
    return None if requested is None else _caller_team(user, requested)


def create_data(request: HttpRequest, payload: Schema, resolve: Resolver | None = None) -> dict[str, Any]:
    """A POST body as service keywords: references resolved, then the new object's team."""
    data = payload.model_dump()
    if resolve is not None:
        resolve(request, data)
    data["team"] = team_for_create(request.user, data["team"])
    return data


def patch_changes(
    request: HttpRequest, payload: Schema, resolve: Resolver | None = None
) -> tuple[int | None, dict[str, Any]]:
    """A PATCH body as (the version the caller read, only the fields they sent), references and
    `team` resolved; the service refuses a missing or stale version."""
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    if resolve is not None:
        resolve(request, changes)
    if "team" in changes:
        changes["team"] = team_change(request.user, changes["team"])
    return version, changes


@contextmanager
def api_field_names(renames: Mapping[str, str]) -> Iterator[None]:
    """Report service field names (`contract_type`) under the API's names (`type`)."""
    try:
        yield
    except ValidationFailed as exc:
        errors = [FieldError(renames.get(e.field, e.field), e.message) for e in exc.errors]
        detail = exc.detail
        for old, new in renames.items():
            detail = detail.replace(f"{old}:", f"{new}:")
        raise ValidationFailed(errors, detail) from None
