"""REST endpoints for obligation templates: what every new contract of a type is given."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import ERRORS, ConflictProblem, HistoryPage, Input, Problem
from servanda.contracts.access import get_contract_type_for

from . import services
from .access import get_template_for, templates_visible_to
from .models import Mode, ObligationTemplate, Scope, Unit

router = Router(tags=["obligation templates"])


class TemplateOut(Schema):
    id: int
    contract_type: int
    description: str
    responsible_user: int | None
    responsible_role: int | None
    scope: str
    interval_unit: str
    interval: int | None
    rrule: str
    lead_days: int
    estimated_minutes: int | None
    mode: str
    version: int


class TemplateIn(Input):
    contract_type: int
    description: str = Field(..., min_length=1, max_length=500)
    responsible_user: int | None = None
    responsible_role: int | None = None
    scope: Scope = Scope.CONTRACT
    interval_unit: Unit | None = None
    interval: int | None = Field(None, ge=1)
    rrule: str = Field("", description="RFC 5545 RRULE (with optional EXDATE/RDATE lines), stored as given")
    lead_days: int = Field(14, ge=0)
    estimated_minutes: int | None = Field(None, ge=0)
    mode: Mode = Mode.ANCHORED


class TemplatePatch(Input):
    version: int | None = None
    description: str | None = None
    responsible_user: int | None = None
    responsible_role: int | None = None
    scope: Scope | None = None
    interval_unit: Unit | None = None
    interval: int | None = Field(None, ge=1)
    rrule: str | None = None
    lead_days: int | None = Field(None, ge=0)
    estimated_minutes: int | None = Field(None, ge=0)
    mode: Mode | None = None


def render(rows: Iterable[ObligationTemplate]) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "contract_type": t.contract_type_id,
            "description": t.description,
            "responsible_user": t.responsible_user_id,
            "responsible_role": t.responsible_role_id,
            "scope": t.scope,
            "interval_unit": t.interval_unit,
            "interval": t.interval,
            "rrule": t.rrule,
            "lead_days": t.lead_days,
            "estimated_minutes": t.estimated_minutes,
            "mode": t.mode,
            "version": t.version,
        }
        for t in rows
    ]


def render_one(t: ObligationTemplate) -> dict[str, Any]:
    return render([t])[0]


CURRENT_RENDERERS[ObligationTemplate] = render_one


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    # "No interval" / "no rule" are stored as empty text, as the model keeps them.
    for name in ("interval_unit", "rrule"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


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
    data = _clean(payload.model_dump())
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
    changes = _clean(payload.model_dump(exclude_unset=True))
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
