"""REST endpoints for contracts and the questions about them: parse, check access, call a service, render.

The API calls the contract's type `type` (the model's `contract_type`); service errors
are reported under the API's names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.common import (
    api_field_names,
    create_data,
    ordered,
    patch_changes,
    today,
    visible_ref,
)
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
from servanda.core.scope import require
from servanda.parties.access import parties_visible_to

from . import services
from .access import contract_types_visible_to, contracts_visible_to, get_contract_for
from .models import Contract
from .selectors import (
    contract_ancestor_ids,
    contract_subtree_ids,
    contract_term_status,
    contracts_filtered,
)

__all__ = ["ContractOut", "OnParams", "render_contracts", "router"]

router = Router(tags=["contracts"])

ORDERING = (
    "number",
    "title",
    "status",
    "commencement_date",
    "end_date",
    "created_at",
    "updated_at",
    "id",
)
RENAMES = {"contract_type": "type"}
DURATION = r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$"


class ContractOut(Schema):
    id: int
    number: str
    title: str
    type: int
    type_code: str
    party: int | None
    status: str
    commencement_date: date | None
    initial_term: str = Field(..., description="ISO 8601 duration, e.g. P1Y; empty when not agreed.")
    renewal_term: str = Field(..., description="ISO 8601 duration of each tacit renewal; empty: none.")
    notice_period: str = Field(..., description="ISO 8601 duration; empty when not agreed.")
    end_date: date | None = Field(
        ..., description="Inclusive end of the initial term (explicit or computed)."
    )
    terminated_on: date | None
    current_term_start: date | None
    current_term_end: date | None = Field(..., description="Inclusive last day of the current term.")
    notice_deadline: date | None = Field(..., description="Last day to give notice for the current term.")
    open_ended: bool
    parent: int | None
    is_placeholder: bool
    features: dict[str, FeatureValue] = Field(..., description=FEATURES_DOC)
    team: int | None
    version: int


class ContractIn(Input):
    number: str
    title: str
    type: int = Field(..., description="Contract type id.")
    party: int | None = None
    status: Contract.Status = Contract.Status.DRAFT
    commencement_date: date | None = None
    initial_term: str | None = Field(None, pattern=DURATION, examples=["P1Y"])
    renewal_term: str | None = Field(None, pattern=DURATION, examples=["P1Y"])
    notice_period: str | None = Field(None, pattern=DURATION, examples=["P3M"])
    end_date: date | None = Field(None, description="Explicit inclusive end; only without an initial term.")
    parent: int | None = None
    features: dict[str, Any] = Field(default_factory=dict)
    team: int | None = Field(None, description="Defaults to your first team.")


class ContractPatch(Input):
    version: int | None = Field(None, description="The version you read; required.")
    number: str | None = None
    title: str | None = None
    type: int | None = None
    party: int | None = None
    status: Contract.Status | None = None
    commencement_date: date | None = None
    initial_term: str | None = Field(None, pattern=DURATION)
    renewal_term: str | None = Field(None, pattern=DURATION)
    notice_period: str | None = Field(None, pattern=DURATION)
    end_date: date | None = None
    parent: int | None = None
    features: dict[str, Any] | None = Field(
        None, description="Merged into the stored features; a key set to null is removed."
    )
    team: int | None = None

    _not_null = not_null("number", "title", "type", "status", "features")


class ContractFilters(Schema):
    type: str | None = Field(None, description="Contract type id or code.")
    status: str | None = Field(None, description="One status or a comma-separated list.")
    party: int | None = None
    parent: str | None = Field(None, description="Parent contract id, or 'none' for top-level contracts.")
    placeholder: bool | None = None
    q: str | None = Field(None, description="Text in number, title or party name.")
    ordering: str | None = Field(None, description=f"One or more of {', '.join(ORDERING)}; '-' descends.")


class TermOut(Schema):
    on: date
    open_ended: bool
    renews: bool
    current_term_start: date | None
    current_term_end: date | None = Field(..., description="Inclusive.")
    notice_deadline: date | None


class OnParams(Schema):
    on: date | None = Field(None, description="YYYY-MM-DD; default today in the site's time zone.")


def render_contracts(contracts: Iterable[Contract], on: date | None = None) -> list[dict[str, Any]]:
    day = on or today()
    out = []
    for c in contracts:
        status = contract_term_status(c, day)
        out.append(
            {
                "id": c.pk,
                "number": c.number,
                "title": c.title,
                "type": c.contract_type_id,
                "type_code": c.contract_type.code,
                "party": c.party_id,
                "status": c.status,
                "commencement_date": c.commencement_date,
                "initial_term": c.initial_term,
                "renewal_term": c.renewal_term,
                "notice_period": c.notice_period,
                "end_date": c.end_date,
                "terminated_on": c.terminated_on,
                "current_term_start": status.term.start if status.term else None,
                "current_term_end": status.term.end if status.term else None,
                "notice_deadline": status.notice_deadline,
                "open_ended": status.open_ended,
                "parent": c.parent_id,
                "is_placeholder": c.is_placeholder,
                "features": c.features or {},
                "team": c.team_id,
                "version": c.version,
            }
        )
    return out


def render_one(contract: Contract) -> dict[str, Any]:
    return render_contracts([contract])[0]


CURRENT_RENDERERS[Contract] = render_one


def _visible(request: HttpRequest) -> Any:
    return contracts_visible_to(request.user).select_related("contract_type")


def _resolve_references(request: HttpRequest, data: dict[str, Any]) -> None:
    """Replace referenced ids by the objects, looked up only among those the caller sees."""
    if "party" in data:
        data["party"] = visible_ref(parties_visible_to(request.user), data["party"], "party", "party")
    if "parent" in data:
        data["parent"] = visible_ref(contracts_visible_to(request.user), data["parent"], "parent", "contract")
    if "type" in data:
        data["contract_type"] = visible_ref(
            contract_types_visible_to(request.user), data.pop("type"), "type", "contract type"
        )


@router.get("", response={200: page_of(ContractOut), **ERRORS}, summary="List contracts")
def contract_list(
    request: HttpRequest, filters: Query[ContractFilters], page: Query[PageParams], when: Query[OnParams]
) -> dict[str, Any]:
    """Filters as named, plus `feature.<key>=<value>` and `feature.<key>__gte=<value>` (`gt`, `lt`,
    `lte`, `in`, `has`). `on` sets the day the current term and notice deadline are computed for."""
    qs = contracts_filtered(_visible(request), params=request.GET)
    day = when.on or today()
    return paginate(ordered(qs, filters.ordering, ORDERING), page, lambda rows: render_contracts(rows, day))


@router.post("", response={201: ContractOut, **ERRORS}, summary="Create a contract")
def contract_create(request: HttpRequest, payload: ContractIn) -> Status:
    require(request.user, Contract, "add")
    data = create_data(request, payload, _resolve_references)
    for name in ("initial_term", "renewal_term", "notice_period"):
        data[name] = data[name] or ""
    with api_field_names(RENAMES):
        contract = services.contract_create(actor=request.user, **data)
    return Status(201, render_one(contract))


@router.get("/{id}", response={200: ContractOut, **ERRORS}, summary="One contract")
def contract_detail(request: HttpRequest, id: int, when: Query[OnParams]) -> dict[str, Any]:
    """`on` sets the day the current term and notice deadline are computed for (default today)."""
    return render_contracts([get_contract_for(request.user, id)], when.on)[0]


@router.patch(
    "/{id}",
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Change a contract (send the version you read)",
)
def contract_update(request: HttpRequest, id: int, payload: ContractPatch) -> dict[str, Any]:
    contract = get_contract_for(request.user, id, write=True)
    version, changes = patch_changes(request, payload, _resolve_references)
    for name in ("initial_term", "renewal_term", "notice_period"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    with api_field_names(RENAMES):
        contract = services.contract_update(actor=request.user, contract=contract, version=version, **changes)
    return render_one(contract)


@router.delete(
    "/{id}",
    response={204: None, 409: RefusedProblem, **ERRORS},
    summary="Delete a contract (refused while it has sub-contracts or coverage)",
)
def contract_delete(request: HttpRequest, id: int) -> Status:
    contract = get_contract_for(request.user, id, write=True, action="delete")
    services.contract_delete(actor=request.user, contract=contract)
    return Status(204, None)


class TerminateIn(Input):
    version: int | None = Field(None, description="The version you read; required.")
    on: date = Field(..., description="The contract's last day.")


@router.post(
    "/{id}/terminate",
    response={200: ContractOut, **WRITE_ERRORS},
    summary="Terminate a contract; coverage after its last day ends with it",
)
def contract_terminate(request: HttpRequest, id: int, payload: TerminateIn) -> dict[str, Any]:
    contract = get_contract_for(request.user, id, write=True)
    contract = services.contract_terminate(
        actor=request.user, contract=contract, version=payload.version, on=payload.on
    )
    return render_one(contract)


@router.get(
    "/{id}/history", response={200: HistoryPage, **ERRORS}, summary="A contract's changes, newest first"
)
def contract_history(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    contract = get_contract_for(request.user, id)
    return history_page(entity=services.ENTITY, entity_id=contract.pk, params=page)


@router.get("/{id}/term", response={200: TermOut, **ERRORS}, summary="Current term and notice deadline")
def contract_term(request: HttpRequest, id: int, params: Query[OnParams]) -> dict[str, Any]:
    """As of `on`, following tacit renewals; open-ended contracts say so."""
    contract = get_contract_for(request.user, id)
    day = params.on or today()
    status = contract_term_status(contract, day)
    return {
        "on": day,
        "open_ended": status.open_ended,
        "renews": status.renews,
        "current_term_start": status.term.start if status.term else None,
        "current_term_end": status.term.end if status.term else None,
        "notice_deadline": status.notice_deadline,
    }


@router.get(
    "/{id}/subtree",
    response={200: page_of(ContractOut), **ERRORS},
    summary="The contract and its sub-contracts at any depth",
)
def contract_subtree(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    contract = get_contract_for(request.user, id)
    qs = _visible(request).filter(pk__in=contract_subtree_ids(contract.pk)).order_by("number", "id")
    return paginate(qs, page, render_contracts)


@router.get(
    "/{id}/ancestors",
    response={200: list[ContractOut], **ERRORS},
    summary="Parent, grandparent, … up to the top (nearest first)",
)
def contract_ancestors(request: HttpRequest, id: int) -> list[dict[str, Any]]:
    contract = get_contract_for(request.user, id)
    ids = contract_ancestor_ids(contract.pk)
    found = {c.pk: c for c in _visible(request).filter(pk__in=ids)}
    return render_contracts(found[i] for i in ids if i in found)
