"""The scope model (docs/DEVELOPING.md): team objects, view/change permissions."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def _perm(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def can_read(user: Any, model: type[Model]) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.has_perm(_perm(model, "view")) or user.has_perm(_perm(model, "change")))
    )


def can_write(user: Any, model: type[Model], action: str = "change") -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_perm(_perm(model, action))
    )


def team_q(user: Any, prefix: str = "") -> Q:
    """Objects of the user's teams or without a team (`prefix` reaches the team through a relation)."""
    return Q(**{f"{prefix}team__isnull": True}) | Q(**{f"{prefix}team__in": user.groups.all()})


def visible(qs: QuerySet[M], user: Any, *, model: type[Model] | None = None, prefix: str = "") -> QuerySet[M]:
    """`qs` narrowed to what `user` may read: superusers all; others need the view (or change) perm."""
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    if not can_read(user, model or qs.model):
        return qs.none()
    return qs.filter(team_q(user, prefix))


def get_for(
    qs: QuerySet[M],
    user: Any,
    pk: Any,
    *,
    write: bool = False,
    model: type[Model] | None = None,
    action: str = "change",
) -> M:
    """The object when visible (else Http404); with `write`, PermissionDenied unless the user may change it."""
    try:
        obj = qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404("Not found.") from None
    if write and not can_write(user, model or qs.model, action):
        raise PermissionDenied("You may read this but not change it.")
    return obj


def require(user: Any, model: type[Model], action: str = "add") -> None:
    """PermissionDenied unless the user holds `<app>.<action>_<model>`."""
    if not can_write(user, model, action):
        raise PermissionDenied(f"You may not {action} {model._meta.verbose_name_plural}.")
