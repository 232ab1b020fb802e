"""REST endpoints for installations and coverage, and the covering questions.

Coverage is shown with an inclusive `end` (stored half-open, DESIGN convention 2).
Coverage endpoints live in `api_coverage`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.common import api_field_names, create_data, ordered, patch_changes, today, visible_ref
from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import (
    ERRORS,
    FEATURES_DOC,
    WRITE_ERRORS,
    FeatureValue,
    HistoryPage,
    Input,
    RefusedProblem,
    not_null,
)
from servanda.contracts.access import contracts_visible_to
from servanda.contracts.api import ContractOut, OnParams, render_contracts
from servanda.contracts.models import Contract
from servanda.core.scope import require
from servanda.parties.access import parties_visible_to

from . import services
from .access import (
    get_installation_for,
    installation_types_visible_to,
    installations_visible_to,
)
from .models import Installation, MaintenanceRecord
from .selectors import (
    covering_contract_ids,
    installation_ancestor_ids,
    installation_subtree_ids,
    installations_filtered,
)

router = Router(tags=["installations"])
coverages_router = Router(tags=["coverages"])

ORDERING = ("serial_number", "product", "model", "site", "installed_on", "status", "created_at", "id")
RENAMES = {"installation_type": "type"}


class InstallationOut(Schema):
    id: int
    serial_number: str
    product: str
    model: str
    type: int | None
    owner: int | None
    site: str
    installed_on: date | None
    status: str
    parent: int | None
    features: dict[str, FeatureValue] = Field(..., description=FEATURES_DOC)
    team: int | None
    version: int


class InstallationIn(Input):
    serial_number: str
    product: str = ""
    model: str = ""
    type: int | None = Field(None, description="Installation type id.")
    owner: int | None = Field(None, description="Owner party id.")
    site: str = ""
    installed_on: date | None = None
    status: Installation.Status = Installation.Status.ACTIVE
    parent: int | None = None
    features: dict[str, Any] = Field(default_factory=dict)
    team: int | None = Field(None, description="Defaults to your first team.")


class InstallationPatch(Input):
    version: int | None = Field(None, description="The version you read; required.")
    serial_number: str | None = None
    product: str | None = None
    model: str | None = None
    type: int | None = None
    owner: int | None = None
    site: str | None = None
    installed_on: date | None = None
    status: Installation.Status | None = None
    parent: int | None = None
    features: dict[str, Any] | None = Field(None, description="Merged; a key set to null is removed.")
    team: int | None = None

    _not_null = not_null("serial_number", "product", "model", "site", "status", "features")


class InstallationFilters(Schema):
    type: str | None = Field(None, description="Installation type id or code.")
    status: str | None = None
    owner: int | None = None
    model: str | None = None
    q: str | None = Field(None, description="Text in serial number, product, model or site.")
    ordering: str | None = Field(None, description=f"One or more of {', '.join(ORDERING)}; '-' descends.")


class MaintenanceOut(Schema):
    id: int
    performed_at: datetime
    kind: str
    component: str
    note: str
    source: str


def render_installations(rows: Iterable[Installation]) -> list[dict[str, Any]]:
    return [
        {
            "id": i.pk,
            "serial_number": i.serial_number,
            "product": i.product,
            "model": i.model,
            "type": i.installation_type_id,
            "owner": i.owner_id,
            "site": i.site,
            "installed_on": i.installed_on,
            "status": i.status,
            "parent": i.parent_id,
            "features": i.features or {},
            "team": i.team_id,
            "version": i.version,
        }
        for i in rows
    ]


def render_maintenance(rows: Iterable[MaintenanceRecord]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "performed_at": m.performed_at,
            "kind": m.kind,
            "component": m.component,
            "note": m.note,
            "source": m.source,
        }
        for m in rows
    ]


def _one_installation(i: Installation) -> dict[str, Any]:
    return render_installations([i])[0]


CURRENT_RENDERERS[Installation] = _one_installation


def _resolve_references(request: HttpRequest, data: dict[str, Any]) -> None:
    """Replace referenced ids by the objects, looked up only among those the caller sees."""
    user = request.user
    if "owner" in data:
        data["owner"] = visible_ref(parties_visible_to(user), data["owner"], "owner", "party")
    if "parent" in data:
        data["parent"] = visible_ref(installations_visible_to(user), data["parent"], "parent", "installation")
    if "type" in data:
        data["installation_type"] = visible_ref(
            installation_types_visible_to(user), data.pop("type"), "type", "installation type"
        )


@router.get("", response={200: page_of(InstallationOut), **ERRORS}, summary="List installations")
def installation_list(
    request: HttpRequest, filters: Query[InstallationFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Filters as named, plus `feature.<key>=<value>` and `feature.<key>__gte=<value>`."""
    qs = installations_filtered(installations_visible_to(request.user), params=request.GET)
    return paginate(ordered(qs, filters.ordering, ORDERING), page, render_installations)


@router.post("", response={201: InstallationOut, **ERRORS}, summary="Create an installation")
def installation_create(request: HttpRequest, payload: InstallationIn) -> Status:
    require(request.user, Installation, "add")
    data = create_data(request, payload, _resolve_references)
    with api_field_names(RENAMES):
        installation = services.installation_create(actor=request.user, **data)
    return Status(201, _one_installation(installation))


@router.get("/{id}", response={200: InstallationOut, **ERRORS}, summary="One installation")
def installation_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return _one_installation(get_installation_for(request.user, id))


@router.patch("/{id}", response={200: InstallationOut, **WRITE_ERRORS}, summary="Change an installation")
def installation_update(request: HttpRequest, id: int, payload: InstallationPatch) -> dict[str, Any]:
    installation = get_installation_for(request.user, id, write=True)
    version, changes = patch_changes(request, payload, _resolve_references)
    with api_field_names(RENAMES):
        installation = services.installation_update(
            actor=request.user, installation=installation, version=version, **changes
        )
    return _one_installation(installation)


@router.delete(
    "/{id}",
    response={204: None, 409: RefusedProblem, **ERRORS},
    summary="Delete an installation (refused while it has modules or coverage)",
)
def installation_delete(request: HttpRequest, id: int) -> Status:
    installation = get_installation_for(request.user, id, write=True, action="delete")
    services.installation_delete(actor=request.user, installation=installation)
    return Status(204, None)


@router.get("/{id}/history", response={200: HistoryPage, **ERRORS}, summary="An installation's changes")
def installation_history(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    installation = get_installation_for(request.user, id)
    return history_page(entity=services.ENTITY, entity_id=installation.pk, params=page)


@router.get(
    "/{id}/contracts",
    response={200: page_of(ContractOut), **ERRORS},
    summary="Contracts covering the installation on a date",
)
def installation_contracts(
    request: HttpRequest, id: int, params: Query[OnParams], page: Query[PageParams]
) -> dict[str, Any]:
    installation = get_installation_for(request.user, id)
    day = params.on or today()
    ids = covering_contract_ids(installation_id=installation.pk, on=day)
    qs = Contract.objects.filter(pk__in=ids).filter(pk__in=contracts_visible_to(request.user).values("pk"))
    qs = qs.select_related("contract_type")
    return paginate(qs.order_by("number", "id"), page, lambda rows: render_contracts(rows, day))


@router.get(
    "/{id}/subtree",
    response={200: page_of(InstallationOut), **ERRORS},
    summary="The installation and its modules at any depth",
)
def installation_subtree(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    installation = get_installation_for(request.user, id)
    qs = installations_visible_to(request.user).filter(pk__in=installation_subtree_ids(installation.pk))
    return paginate(qs.order_by("serial_number", "id"), page, render_installations)


@router.get(
    "/{id}/ancestors",
    response={200: list[InstallationOut], **ERRORS},
    summary="Parent machine, its parent, … up to the top (nearest first)",
)
def installation_ancestors(request: HttpRequest, id: int) -> list[dict[str, Any]]:
    installation = get_installation_for(request.user, id)
    ids = installation_ancestor_ids(installation.pk)
    found = {i.pk: i for i in installations_visible_to(request.user).filter(pk__in=ids)}
    return render_installations(found[i] for i in ids if i in found)


@router.get(
    "/{id}/maintenance",
    response={200: page_of(MaintenanceOut), **ERRORS},
    summary="Maintenance done on the installation, newest first",
)
def installation_maintenance(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    installation = get_installation_for(request.user, id)
    qs = installation.maintenance_records.order_by("-performed_at", "-id")
    return paginate(qs, page, render_maintenance)
