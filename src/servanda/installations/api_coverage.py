"""REST endpoints for coverage periods and `/contracts/{id}/installations`.

Coverage is shown with an inclusive `end` (stored half-open, DESIGN convention 2).
Kept apart from `installations.api` so neither module grows past a readable size;
`/contracts/{id}/installations` lives here so contracts never import installations' API.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.common import patch_changes, today, visible_ref
from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import ERRORS, WRITE_ERRORS, HistoryPage, Input, RefusedProblem, not_null
from servanda.contracts.access import contracts_visible_to, get_contract_for
from servanda.contracts.api import OnParams
from servanda.contracts.api import router as contracts_router
from servanda.core.scope import require
from servanda.rules.periods import ONE_DAY

from . import coverage as coverage_services
from .access import coverages_visible_to, get_coverage_for, get_installation_for, installations_visible_to
from .api import InstallationOut, render_installations
from .api import router as installations_router
from .models import Coverage
from .selectors import coverage_history, coverages_on, installations_covered_by

coverages_router = Router(tags=["coverages"])


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


def _one_coverage(c: Coverage) -> dict[str, Any]:
    return render_coverages([c])[0]


CURRENT_RENDERERS[Coverage] = _one_coverage


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
    version, changes = patch_changes(request, payload)
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


@installations_router.get(
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
