"""Who sees and changes which installations, coverages and installation types.

A coverage is visible when its contract is, and changed by whoever may change coverages
and sees that contract.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from servanda.contracts.access import contracts_visible_to
from servanda.core.scope import can_read, get_for, visible
from servanda.features.access import administered, get_administered_for

from .models import Coverage, Installation, InstallationType


def installations_visible_to(user: Any) -> QuerySet[Installation]:
    return visible(Installation.objects.all(), user)


def get_installation_for(
    user: Any, installation_id: Any, *, write: bool = False, action: str = "change"
) -> Installation:
    return get_for(installations_visible_to(user), user, installation_id, write=write, action=action)


def coverages_visible_to(user: Any) -> QuerySet[Coverage]:
    if user is None or not user.is_authenticated:
        return Coverage.objects.none()
    if not user.is_superuser and not can_read(user, Coverage):
        return Coverage.objects.none()
    return Coverage.objects.filter(contract__in=contracts_visible_to(user))


def get_coverage_for(user: Any, coverage_id: Any, *, write: bool = False, action: str = "change") -> Coverage:
    return get_for(coverages_visible_to(user), user, coverage_id, write=write, action=action)


def installation_types_visible_to(user: Any) -> QuerySet[InstallationType]:
    return administered(InstallationType.objects.all(), user)


def get_installation_type_for(user: Any, type_id: Any, *, write: bool = False) -> InstallationType:
    return get_administered_for(InstallationType.objects.all(), user, type_id, write=write)
