"""REST endpoints for planned obligations: parse, check access (through the contract), call, render."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import ERRORS, ConflictProblem, HistoryPage, Problem
from servanda.contracts.access import get_contract_for

from . import services
from .access import get_obligation_for, obligations_visible_to
from .api_schemas import PlannedIn, PlannedOut, PlannedPatch, clean_planned, planned_fields
from .models import Obligation

router = Router(tags=["obligations"])


class ObligationOut(PlannedOut):
    contract: int
    template: int | None
    anchor_date: date | None
    active: bool


class ObligationIn(PlannedIn):
    contract: int
    anchor_date: date | None = Field(None, description="empty: commencement, or each coverage start")


class ObligationPatch(PlannedPatch):
    anchor_date: date | None = None
    active: bool | None = None


def render(rows: Iterable[Obligation]) -> list[dict[str, Any]]:
    return [
        {
            **planned_fields(o),
            "contract": o.contract_id,
            "template": o.template_id,
            "anchor_date": o.anchor_date,
            "active": o.active,
        }
        for o in rows
    ]


def render_one(o: Obligation) -> dict[str, Any]:
    return render([o])[0]


CURRENT_RENDERERS[Obligation] = render_one


@router.get("", response={200: page_of(ObligationOut), **ERRORS}, summary="List obligations")
def obligation_list(
    request: HttpRequest, page: Query[PageParams], contract: int | None = None, active: bool | None = None
) -> dict[str, Any]:
    qs = obligations_visible_to(request.user)
    if contract is not None:
        qs = qs.filter(contract_id=contract)
    if active is not None:
        qs = qs.filter(active=active)
    return paginate(qs.order_by("contract_id", "id"), page, render)


@router.post("", response={201: ObligationOut, **ERRORS}, summary="Add an obligation to a contract")
def obligation_create(request: HttpRequest, payload: ObligationIn) -> Status:
    data = clean_planned(payload.model_dump())
    contract = get_contract_for(request.user, data.pop("contract"), write=True)
    obl = services.obligation_create(actor=request.user, contract=contract, **data)
    return Status(201, render_one(obl))


@router.get("/{id}", response={200: ObligationOut, **ERRORS}, summary="One obligation")
def obligation_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return render_one(get_obligation_for(request.user, id))


@router.patch(
    "/{id}",
    response={200: ObligationOut, 409: ConflictProblem, 428: Problem, **ERRORS},
    summary="Change an obligation (send the version you read); its schedule follows",
)
def obligation_update(request: HttpRequest, id: int, payload: ObligationPatch) -> dict[str, Any]:
    obl = get_obligation_for(request.user, id, write=True)
    changes = clean_planned(payload.model_dump(exclude_unset=True))
    version = changes.pop("version", None)
    return render_one(
        services.obligation_update(actor=request.user, obligation=obl, version=version, **changes)
    )


@router.delete(
    "/{id}", response={204: None, 409: ConflictProblem, 428: Problem, **ERRORS}, summary="Stop an obligation"
)
def obligation_delete(request: HttpRequest, id: int, version: int | None = None) -> Status:
    obl = get_obligation_for(request.user, id, write=True)
    services.obligation_deactivate(actor=request.user, obligation=obl, version=version)
    return Status(204, None)


@router.get("/{id}/history", response={200: HistoryPage, **ERRORS}, summary="An obligation's changes")
def obligation_history(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    obl = get_obligation_for(request.user, id)
    return history_page(entity="obligation", entity_id=obl.pk, params=page)
