"""Template context shared by every page: the navigation the user may use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from servanda.core.scope import can_read
from servanda.features.access import may_administer
from servanda.features.models import FeatureDefinition


def _authenticated(user) -> bool:
    return bool(user.is_authenticated)


def _reads(model_path: str) -> Callable[[object], bool]:
    def check(user) -> bool:
        return can_read(user, apps.get_model(model_path))

    return check


def _admin(user) -> bool:
    return may_administer(user, FeatureDefinition)


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    # The first name that resolves is the area's entry page; an area whose pages are not
    # built yet resolves none and stays hidden, so the menu never links to a 404.
    url_names: tuple[str, ...]
    allowed: Callable[[object], bool]
    # Path prefixes that mark the area as current.
    prefixes: tuple[str, ...] = ()


AREAS: tuple[Area, ...] = (
    Area("my-work", "My work", ("work:my-work",), _authenticated, ("/work/", "/my-work/")),
    Area(
        "contracts",
        "Contracts",
        ("web:contract-list",),
        _reads("contracts.Contract"),
        ("/contracts/", "/parties/"),
    ),
    Area(
        "installations",
        "Installations",
        ("web:installation-list",),
        _reads("installations.Installation"),
        ("/installations/",),
    ),
    Area("planning", "Planning", ("work:planner",), _authenticated, ("/planning/", "/planner/")),
    Area("service", "Service", ("service:call-list", "service:calls"), _authenticated, ("/service/",)),
    Area("cases", "Cases", ("cases:case-list", "cases:list"), _authenticated, ("/cases/",)),
    Area("reports", "Reports", ("web:reports",), _reads("contracts.Contract"), ("/reports/",)),
    Area("admin", "Admin", ("web:admin-home",), _admin, ("/admin/",)),
)


def _resolve(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def nav_items(user, path: str) -> list[dict]:
    items = []
    for area in AREAS:
        if not area.allowed(user):
            continue
        url = _resolve(area.url_names)
        if url is None:
            continue
        current = any(path.startswith(p) for p in area.prefixes) or path == url
        items.append({"key": area.key, "label": area.label, "url": url, "current": current})
    return items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": nav_items(user, request.path)}
