"""Create and edit contracts; feature inputs come from the contract type's definitions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.http import require_GET

from servanda.contracts.access import contract_types_visible_to, contracts_visible_to, get_contract_for
from servanda.contracts.models import Contract, ContractType
from servanda.contracts.services import contract_create, contract_update
from servanda.core.scope import require
from servanda.features.models import FeatureDefinition
from servanda.features.validation import definitions_for_contract_type
from servanda.parties.access import parties_visible_to
from servanda.web.forms.contracts import FIELDS, ContractForm, initial_for

from .entity_forms import FormFlow, create_page, edit_page, feature_fields_page, labels_for


def _form(request: HttpRequest, data: QueryDict | None, initial: dict[str, Any] | None) -> ContractForm:
    return ContractForm(
        data,
        initial=initial,
        types=contract_types_visible_to(request.user),
        parties=parties_visible_to(request.user).order_by("name"),
        parents=contracts_visible_to(request.user),
        teams=request.user.groups.order_by("name"),
    )


def _chosen_type(request: HttpRequest, fallback: ContractType | None = None) -> ContractType | None:
    source = request.POST if request.method == "POST" else request.GET
    raw = source.get("contract_type")
    if raw:
        return contract_types_visible_to(request.user).filter(pk=raw if str(raw).isdigit() else -1).first()
    return fallback


def _definitions(request: HttpRequest, contract: Contract | None) -> list[FeatureDefinition]:
    # Every contract has a type; until one is chosen there are no feature inputs to offer.
    ctype = _chosen_type(request, contract.contract_type if contract else None)
    return definitions_for_contract_type(ctype) if ctype else []


FLOW = FormFlow(
    noun="contract",
    form=_form,
    definitions=_definitions,
    create=contract_create,
    update=contract_update,
    fields=FIELDS,
    labels=labels_for(ContractForm, FIELDS),
    initial_for=initial_for,
)


@login_required
def contract_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Contract, "add")
    return create_page(request, FLOW)


@login_required
def contract_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return edit_page(request, FLOW, get_contract_for(request.user, pk, write=True))


@login_required
@require_GET
def contract_feature_fields(request: HttpRequest) -> HttpResponse:
    return feature_fields_page(request, FLOW)
