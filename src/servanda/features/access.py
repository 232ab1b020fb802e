"""Feature definitions and types: readable by every signed-in user, changed by administrators.

Administrators are staff, superusers, or users holding the model's change permission.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from servanda.core.scope import can_write

from .models import FeatureDefinition

M = TypeVar("M", bound=Model)


def may_administer(user: Any, model: type[Model]) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_staff or can_write(user, model))


def administered(qs: QuerySet[M], user: Any) -> QuerySet[M]:
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    return qs


def get_administered_for(qs: QuerySet[M], user: Any, pk: Any, *, write: bool = False) -> M:
    try:
        obj = administered(qs, user).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404("Not found.") from None
    if write and not may_administer(user, qs.model):
        raise PermissionDenied("Only administrators change definitions and types.")
    return obj


def feature_definitions_visible_to(user: Any) -> QuerySet[FeatureDefinition]:
    return administered(FeatureDefinition.objects.prefetch_related("characteristics"), user)


def get_feature_definition_for(user: Any, definition_id: Any, *, write: bool = False) -> FeatureDefinition:
    return get_administered_for(FeatureDefinition.objects.all(), user, definition_id, write=write)


def require_administrator(user: Any, model: type[Model] = FeatureDefinition) -> None:
    if not may_administer(user, model):
        raise PermissionDenied("Only administrators change definitions and types.")
