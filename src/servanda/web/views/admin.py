"""Administrator pages: feature definitions with characteristics, contract and installation types."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from servanda.contracts.access import contract_types_visible_to, get_contract_type_for
from servanda.contracts.models import ContractType
from servanda.core.errors import Refused, ValidationFailed, VersionConflict
from servanda.events.selectors import events_for
from servanda.features.access import (
    feature_definitions_visible_to,
    get_feature_definition_for,
    require_administrator,
)
from servanda.features.kinds import (
    contract_type_create,
    contract_type_update,
    installation_type_create,
    installation_type_update,
)
from servanda.features.models import Entity, FeatureDefinition
from servanda.features.services import FIELDS as DEFINITION_FIELDS
from servanda.features.services import (
    characteristic_add,
    characteristic_remove,
    feature_definition_create,
    feature_definition_update,
)
from servanda.installations.access import get_installation_type_for, installation_types_visible_to
from servanda.installations.models import InstallationType
from servanda.web.forms.admin import CharacteristicForm, ContractTypeForm, FeatureDefinitionForm, TypeForm
from servanda.web.forms.base import changed_fields

from .form_support import posted
from .shared import history_rows


def _domain_errors(form, exc: Exception) -> None:
    if isinstance(exc, ValidationFailed):
        for e in exc.errors:
            form.add_domain_error(e.field, e.message)
        if not exc.errors:
            form.add_error(None, exc.detail)
    elif isinstance(exc, VersionConflict):
        form.add_error(
            None, "Someone else changed this in the meantime. Reload the page to see their change."
        )
    elif isinstance(exc, Refused):
        form.add_error(None, exc.detail)


@login_required
def admin_home(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    definitions = feature_definitions_visible_to(request.user).order_by("entity", "position", "label")
    context = {
        "contract_definitions": [d for d in definitions if d.entity == Entity.CONTRACT],
        "installation_definitions": [d for d in definitions if d.entity == Entity.INSTALLATION],
        "contract_types": contract_types_visible_to(request.user).prefetch_related("feature_definitions"),
        "installation_types": installation_types_visible_to(request.user).prefetch_related(
            "feature_definitions"
        ),
    }
    return render(request, "web/admin/home.html", context)


@login_required
def definition_create(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    data = posted(request)
    form = FeatureDefinitionForm(data, initial={"entity": request.GET.get("entity", Entity.CONTRACT)})
    if data is not None and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            d = feature_definition_create(actor=request.user, **values)
        except (ValidationFailed, Refused) as exc:
            _domain_errors(form, exc)
        else:
            messages.success(request, f"Feature {d.label} created.")
            return redirect("web:admin-definition", pk=d.pk)
    status = 200 if data is None else 422
    return render(
        request, "web/admin/definition_form.html", {"form": form, "definition": None}, status=status
    )


@login_required
def definition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    definition = get_feature_definition_for(request.user, pk, write=True)
    data = posted(request)
    initial = {name: getattr(definition, name) for name in DEFINITION_FIELDS}
    initial["version"] = definition.version
    if definition.default is not None:
        initial["default"] = json.dumps(definition.default)
    form = FeatureDefinitionForm(data, initial=initial)
    form.fields["characteristics"].widget = form.fields["characteristics"].hidden_widget()
    if data is not None and form.is_valid():
        changes = changed_fields(form.cleaned_data, definition, DEFINITION_FIELDS)
        try:
            feature_definition_update(
                actor=request.user, definition=definition, version=form.cleaned_data.get("version"), **changes
            )
        except (ValidationFailed, Refused, VersionConflict) as exc:
            _domain_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("web:admin-definition", pk=definition.pk)
    context = {
        "form": form,
        "definition": definition,
        "char_form": CharacteristicForm(),
        "characteristics": definition.characteristics.order_by("position", "code"),
        "history": history_rows(events_for(entity="feature_definition", entity_id=definition.pk), entity=""),
    }
    status = 200 if data is None else 422
    return render(request, "web/admin/definition_form.html", context, status=status)


@login_required
@require_POST
def characteristic_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    definition = get_feature_definition_for(request.user, pk, write=True)
    form = CharacteristicForm(request.POST)
    if form.is_valid():
        try:
            characteristic_add(actor=request.user, definition=definition, **form.cleaned_data)
        except (ValidationFailed, Refused) as exc:
            messages.error(
                request, exc.detail if isinstance(exc, Refused) else "; ".join(e.message for e in exc.errors)
            )
    else:
        messages.error(request, "A characteristic needs a code.")
    return redirect("web:admin-definition", pk=definition.pk)


@login_required
@require_POST
def characteristic_remove_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    definition = get_feature_definition_for(request.user, pk, write=True)
    characteristic = definition.characteristics.filter(code=code).first()
    if characteristic is not None:
        try:
            characteristic_remove(actor=request.user, characteristic=characteristic)
        except Refused as exc:
            messages.error(request, exc.detail)
    return redirect("web:admin-definition", pk=definition.pk)


TYPE_KINDS: dict[str, dict[str, Any]] = {
    "contract": {
        "model": ContractType,
        "entity": Entity.CONTRACT,
        "form": ContractTypeForm,
        "fields": ("code", "name", "description", "number_prefix"),
        "create": contract_type_create,
        "update": contract_type_update,
        "arg": "contract_type",
        "get": get_contract_type_for,
        "title": "Contract type",
    },
    "installation": {
        "model": InstallationType,
        "entity": Entity.INSTALLATION,
        "form": TypeForm,
        "fields": ("code", "name", "description"),
        "create": installation_type_create,
        "update": installation_type_update,
        "arg": "installation_type",
        "get": get_installation_type_for,
        "title": "Installation type",
    },
}


@login_required
def type_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = TYPE_KINDS.get(kind)
    if spec is None:
        raise Http404("No such kind of type.")
    require_administrator(request.user, spec["model"])
    obj = spec["get"](request.user, pk, write=True) if pk is not None else None
    definitions = FeatureDefinition.objects.filter(entity=spec["entity"]).order_by("position", "label")
    data = posted(request)
    initial = None
    if obj is not None:
        initial = {name: getattr(obj, name) for name in spec["fields"]}
        initial["feature_definitions"] = list(obj.feature_definitions.all())
        initial["version"] = obj.version
    form = spec["form"](data, initial=initial, definitions=definitions)
    if data is not None and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        values["feature_definitions"] = list(values["feature_definitions"])
        try:
            if obj is None:
                obj = spec["create"](actor=request.user, **values)
            else:
                spec["update"](
                    actor=request.user,
                    **{spec["arg"]: obj},
                    version=form.cleaned_data.get("version"),
                    **values,
                )
        except (ValidationFailed, Refused, VersionConflict) as exc:
            _domain_errors(form, exc)
        else:
            messages.success(request, f"{spec['title']} {values['name']} saved.")
            return redirect("web:admin-home")
    context = {"form": form, "obj": obj, "title": spec["title"], "kind": kind}
    return render(request, "web/admin/type_form.html", context, status=200 if data is None else 422)
