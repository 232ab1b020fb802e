"""REST endpoints for obligation templates: what every new contract of a type is given."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import ERRORS, ConflictProblem, HistoryPage, Problem
from servanda.contracts.access import get_contract_type_for

from . import services
from .access import get_template_for, templates_visible_to
from .api_schemas import PlannedIn, PlannedOut, PlannedPatch, clean_planned, planned_fields
from .models import ObligationTemplate

router = Router(tags=["obligation templates"])


class TemplateOut(PlannedOut):
    contract_type: int


class TemplateIn(PlannedIn):
    contract_type: int


TemplatePatch = PlannedPatch


def render(rows: Iterable[ObligationTemplate]) -> list[dict[str, Any]]:
    return [{**planned_fields(t), "contract_type": t.contract_type_id} for t in rows]


def render_one(t: ObligationTemplate) -> dict[str, Any]:
    return render([t])[0]


CURRENT_RENDERERS[ObligationTemplate] = render_one


@router.get("", response={200: page_of(TemplateOut), **ERRORS}, summary="List obligation templates")
def template_list(
    request: HttpRequest, page: Query[PageParams], contract_type: int | None = None
) -> dict[str, Any]:
    qs = templates_visible_to(request.user)
    if contract_type is not None:
        qs = qs.filter(contract_type_id=contract_type)
    return paginate(qs.order_by("contract_type_id", "id"), page, render)


@router.post(
    "",
    response={201: TemplateOut, **ERRORS},
    summary="Add a template to a contract type (new contracts of the type get a copy)",
)
def template_create(request: HttpRequest, payload: TemplateIn) -> Status:
    data = clean_planned(payload.model_dump())
    ctype = get_contract_type_for(request.user, data.pop("contract_type"), write=True)
    tpl = services.obligation_template_create(actor=request.user, contract_type=ctype, **data)
    return Status(201, render_one(tpl))


@router.get("/{id}", response={200: TemplateOut, **ERRORS}, summary="One obligation template")
def template_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return render_one(get_template_for(request.user, id))


@router.patch(
    "/{id}",
    response={200: TemplateOut, 409: ConflictProblem, 428: Problem, **ERRORS},
    summary="Change a template (send the version you read); existing contracts keep their copies",
)
def template_update(request: HttpRequest, id: int, payload: TemplatePatch) -> dict[str, Any]:
    tpl = get_template_for(request.user, id, write=True)
    changes = clean_planned(payload.model_dump(exclude_unset=True))
    version = changes.pop("version", None)
    return render_one(
        services.obligation_template_update(actor=request.user, template=tpl, version=version, **changes)
    )


@router.delete("/{id}", response={204: None, **ERRORS}, summary="Delete a template (copies stay)")
def template_delete(request: HttpRequest, id: int) -> Status:
    services.obligation_template_delete(
        actor=request.user, template=get_template_for(request.user, id, write=True)
    )
    return Status(204, None)


@router.get("/{id}/history", response={200: HistoryPage, **ERRORS}, summary="A template's changes")
def template_history(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    tpl = get_template_for(request.user, id)
    return history_page(entity="obligation_template", entity_id=tpl.pk, params=page)
