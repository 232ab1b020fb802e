"""REST endpoints for installations and coverage, and the covering questions.

Coverage is shown with an inclusive `end` (stored half-open, DESIGN convention 2).
`/contracts/{id}/installations` lives here too, so contracts never import installations' API.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.common import api_field_names, ordered, team_change, team_for_create, today, visible_ref
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
from servanda.contracts.access import contracts_visible_to, get_contract_for
from servanda.contracts.api import ContractOut, OnParams, render_contracts
from servanda.contracts.api import router as contracts_router
from servanda.core.scope import require
from servanda.parties.access import parties_visible_to
from servanda.rules.periods import ONE_DAY

from . import coverage as coverage_services
from . import services
from .access import (
    coverages_visible_to,
    get_coverage_for,
    get_installation_for,
    installation_types_visible_to,
    installations_visible_to,
)
from .models import Coverage, Installation, MaintenanceRecord
from .selectors import (
    contracts_covering,
    coverage_history,
    coverages_on,
    installations_covered_by,
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


class CoverageOut(Schema):
    id: int
    contract: int
    installation: int
    start: date
    end: date | None = Field(..., description="Inclusive last covered day; null: open-ended.")
    note: str
    version: int


class CoverageIn(Input):
    contract: int
    installation: int
    start: date
    end: date | None = Field(None, description="Inclusive last covered day; null: open-ended.")
    note: str = ""


class CoveragePatch(Input):
    version: int | None = Field(None, description="The version you read; required.")
    start: date | None = None
    end: date | None = None
    note: str | None = None

    _not_null = not_null("start", "note")


class CoverageFilters(Schema):
    contract: int | None = None
    installation: int | None = None
    on: date | None = Field(None, description="Only coverage running on this day.")


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


def render_coverages(rows: Iterable[Coverage]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "contract": c.contract_id,
            "installation": c.installation_id,
            "start": c.start,
            "end": None if c.end_excl is None else c.end_excl - ONE_DAY,
            "note": c.note,
            "version": c.version,
        }
        for c in rows
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


def _one_coverage(c: Coverage) -> dict[str, Any]:
    return render_coverages([c])[0]


CURRENT_RENDERERS[Installation] = _one_installation
CURRENT_RENDERERS[Coverage] = _one_coverage


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
    data = payload.model_dump()
    _resolve_references(request, data)
    data["team"] = team_for_create(request.user, data["team"])
    with api_field_names(RENAMES):
        installation = services.installation_create(actor=request.user, **data)
    return Status(201, _one_installation(installation))


@router.get("/{id}", response={200: InstallationOut, **ERRORS}, summary="One installation")
def installation_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return _one_installation(get_installation_for(request.user, id))


@router.patch("/{id}", response={200: InstallationOut, **WRITE_ERRORS}, summary="Change an installation")
def installation_update(request: HttpRequest, id: int, payload: InstallationPatch) -> dict[str, Any]:
    installation = get_installation_for(request.user, id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    _resolve_references(request, changes)
    if "team" in changes:
        changes["team"] = team_change(request.user, changes["team"])
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
    qs = contracts_covering(installation_id=installation.pk, on=day)
    qs = qs.filter(pk__in=contracts_visible_to(request.user).values("pk")).select_related("contract_type")
    return paginate(qs.order_by("number", "id"), page, lambda rows: render_contracts(rows, day))


@router.get(
    "/{id}/coverages",
    response={200: page_of(CoverageOut), **ERRORS},
    summary="The installation's coverage over time, oldest first",
)
def installation_coverages(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    installation = get_installation_for(request.user, id)
    qs = coverage_history(installation_id=installation.pk).filter(
        pk__in=coverages_visible_to(request.user).values("pk")
    )
    return paginate(qs, page, render_coverages)


@router.get(
    "/{id}/maintenance",
    response={200: page_of(MaintenanceOut), **ERRORS},
    summary="Maintenance done on the installation, newest first",
)
def installation_maintenance(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    installation = get_installation_for(request.user, id)
    qs = installation.maintenance_records.order_by("-performed_at", "-id")
    return paginate(qs, page, render_maintenance)


@contracts_router.get(
    "/{id}/installations",
    response={200: page_of(InstallationOut), **ERRORS},
    summary="Installations the contract covers on a date",
)
def contract_installations(
    request: HttpRequest, id: int, params: Query[OnParams], page: Query[PageParams]
) -> dict[str, Any]:
    contract = get_contract_for(request.user, id)
    qs = installations_covered_by(contract_id=contract.pk, on=params.on or today())
    qs = qs.filter(pk__in=installations_visible_to(request.user).values("pk"))
    return paginate(qs.order_by("serial_number", "id"), page, render_installations)


@coverages_router.get("", response={200: page_of(CoverageOut), **ERRORS}, summary="List coverage periods")
def coverage_list(
    request: HttpRequest, filters: Query[CoverageFilters], page: Query[PageParams]
) -> dict[str, Any]:
    qs = coverages_visible_to(request.user)
    if filters.contract is not None:
        qs = qs.filter(contract_id=filters.contract)
    if filters.installation is not None:
        qs = qs.filter(installation_id=filters.installation)
    if filters.on is not None:
        qs = qs & coverages_on(filters.on)  # the one definition of "running on a day"
    return paginate(qs.order_by("start", "id"), page, render_coverages)


@coverages_router.post(
    "", response={201: CoverageOut, **ERRORS}, summary="Cover an installation by a contract for a period"
)
def coverage_create(request: HttpRequest, payload: CoverageIn) -> Status:
    """The same contract and installation never overlap themselves: an overlap is a 422."""
    require(request.user, Coverage, "add")
    data = payload.model_dump()
    user = request.user
    data["contract"] = visible_ref(contracts_visible_to(user), data["contract"], "contract", "contract")
    data["installation"] = visible_ref(
        installations_visible_to(user), data["installation"], "installation", "installation"
    )
    coverage = coverage_services.coverage_create(actor=request.user, **data)
    return Status(201, _one_coverage(coverage))


@coverages_router.get("/{id}", response={200: CoverageOut, **ERRORS}, summary="One coverage period")
def coverage_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return _one_coverage(get_coverage_for(request.user, id))


@coverages_router.patch(
    "/{id}", response={200: CoverageOut, **WRITE_ERRORS}, summary="Change a coverage period"
)
def coverage_update(request: HttpRequest, id: int, payload: CoveragePatch) -> dict[str, Any]:
    coverage = get_coverage_for(request.user, id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    coverage = coverage_services.coverage_update(
        actor=request.user, coverage=coverage, version=version, **changes
    )
    return _one_coverage(coverage)


@coverages_router.delete(
    "/{id}", response={204: None, 409: RefusedProblem, **ERRORS}, summary="Delete a coverage period"
)
def coverage_delete(request: HttpRequest, id: int) -> Status:
    coverage = get_coverage_for(request.user, id, write=True, action="delete")
    coverage_services.coverage_delete(actor=request.user, coverage=coverage)
    return Status(204, None)


@coverages_router.get("/{id}/history", response={200: HistoryPage, **ERRORS}, summary="A coverage's changes")
def coverage_history_endpoint(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    coverage = get_coverage_for(request.user, id)
    return history_page(entity=coverage_services.ENTITY, entity_id=coverage.pk, params=page)
