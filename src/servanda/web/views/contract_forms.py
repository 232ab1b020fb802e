"""Create and edit contracts; feature inputs come from the contract type's definitions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from servanda.contracts.access import contract_types_visible_to, contracts_visible_to, get_contract_for
from servanda.contracts.models import Contract, ContractType
from servanda.contracts.services import contract_create, contract_update
from servanda.core.errors import ValidationFailed, VersionConflict
from servanda.core.scope import require
from servanda.features.validation import definitions_for_contract_type
from servanda.parties.access import parties_visible_to
from servanda.web.forms import features as feature_forms
from servanda.web.forms.base import changed_fields
from servanda.web.forms.contracts import FIELDS, ContractForm, initial_for

from .form_support import apply_errors, conflict_rows, feature_errors_only, posted, with_version

LABELS = {
    name: str(ContractForm.base_fields[name].label or name.replace("_", " ").capitalize()) for name in FIELDS
}


def _form(request: HttpRequest, data=None, initial=None) -> ContractForm:
    return ContractForm(
        data,
        initial=initial,
        types=contract_types_visible_to(request.user),
        parties=parties_visible_to(request.user).order_by("name"),
        contracts=contracts_visible_to(request.user),
        teams=request.user.groups.order_by("name"),
    )


def _chosen_type(request: HttpRequest, fallback: ContractType | None = None) -> ContractType | None:
    source = request.POST if request.method == "POST" else request.GET
    raw = source.get("contract_type")
    if raw:
        return contract_types_visible_to(request.user).filter(pk=raw if str(raw).isdigit() else -1).first()
    return fallback


@login_required
def contract_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Contract, "add")
    data = posted(request)
    groups = list(request.user.groups.order_by("name")[:1])
    form = _form(request, data, initial={"team": groups[0] if groups else None})
    ctype = _chosen_type(request)
    definitions = definitions_for_contract_type(ctype) if ctype else []
    feature_errors: dict[str, list[str]] = {}
    if data is not None:
        features = feature_forms.parse(definitions, data)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                contract = contract_create(actor=request.user, **{**values, "features": features})
            except ValidationFailed as exc:
                feature_errors = apply_errors(form, exc)
            else:
                return redirect("web:contract-detail", pk=contract.pk)
        else:
            feature_errors = feature_errors_only(definitions, features, partial=False)
    fields = feature_forms.build_fields(definitions, data=data, errors=feature_errors)
    context = {"form": form, "feature_fields": fields, "contract": None, "feature_errors": feature_errors}
    return render(request, "web/contracts/form.html", context, status=200 if data is None else 422)


@login_required
def contract_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request.user, pk, write=True)
    data = posted(request)
    form = _form(request, data, initial=initial_for(contract))
    ctype = _chosen_type(request, fallback=contract.contract_type)
    definitions = definitions_for_contract_type(ctype) if ctype else []
    feature_errors: dict[str, list[str]] = {}
    conflict = None
    if data is not None:
        features = feature_forms.parse(definitions, data, stored=contract.features)
        if form.is_valid():
            changes = changed_fields(form.cleaned_data, contract, FIELDS)
            try:
                contract_update(
                    actor=request.user,
                    contract=contract,
                    version=form.cleaned_data.get("version"),
                    features=features,
                    **changes,
                )
            except VersionConflict as exc:
                conflict = conflict_rows(exc.current, form.cleaned_data, LABELS, definitions, features)
                form = _form(request, with_version(data, exc.current.version))
                form.is_valid()
            except ValidationFailed as exc:
                feature_errors = apply_errors(form, exc)
            else:
                return redirect("web:contract-detail", pk=contract.pk)
        else:
            feature_errors = feature_errors_only(definitions, features, partial=True)
    fields = feature_forms.build_fields(
        definitions, stored=contract.features, data=data, errors=feature_errors
    )
    context = {
        "form": form,
        "feature_fields": fields,
        "contract": contract,
        "conflict": conflict,
        "feature_errors": feature_errors,
    }
    status = 200 if data is None else (409 if conflict is not None else 422)
    return render(request, "web/contracts/form.html", context, status=status)


@login_required
@require_GET
def contract_feature_fields(request: HttpRequest) -> HttpResponse:
    """The feature inputs for the chosen type (htmx swap when the type changes); typed values kept."""
    ctype = _chosen_type(request)
    definitions = definitions_for_contract_type(ctype) if ctype else []
    fields = feature_forms.build_fields(definitions, data=request.GET)
    return render(request, "web/includes/feature_fields.html", {"feature_fields": fields})
