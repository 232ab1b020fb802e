"""Create and edit installations; feature inputs come from the installation type's definitions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from servanda.core.errors import ValidationFailed, VersionConflict
from servanda.core.scope import require
from servanda.features.validation import definitions_for_installation_type
from servanda.installations.access import (
    get_installation_for,
    installation_types_visible_to,
    installations_visible_to,
)
from servanda.installations.models import Installation, InstallationType
from servanda.installations.services import installation_create, installation_update
from servanda.parties.access import parties_visible_to
from servanda.web.forms import features as feature_forms
from servanda.web.forms.base import changed_fields
from servanda.web.forms.installations import FIELDS, InstallationForm, initial_for

from .form_support import apply_errors, conflict_rows, feature_errors_only, posted, with_version

LABELS = {
    name: str(InstallationForm.base_fields[name].label or name.replace("_", " ").capitalize())
    for name in FIELDS
}


def _form(request: HttpRequest, data=None, initial=None) -> InstallationForm:
    return InstallationForm(
        data,
        initial=initial,
        types=installation_types_visible_to(request.user),
        parties=parties_visible_to(request.user).order_by("name"),
        installations=installations_visible_to(request.user),
        teams=request.user.groups.order_by("name"),
    )


def _chosen_type(request: HttpRequest, fallback: InstallationType | None = None) -> InstallationType | None:
    source = request.POST if request.method == "POST" else request.GET
    if "installation_type" not in source:
        return fallback
    raw = source.get("installation_type") or ""
    return installation_types_visible_to(request.user).filter(pk=raw if raw.isdigit() else -1).first()


@login_required
def installation_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Installation, "add")
    data = posted(request)
    groups = list(request.user.groups.order_by("name")[:1])
    form = _form(request, data, initial={"team": groups[0] if groups else None})
    definitions = definitions_for_installation_type(_chosen_type(request))
    feature_errors: dict[str, list[str]] = {}
    if data is not None:
        features = feature_forms.parse(definitions, data)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                installation = installation_create(actor=request.user, **{**values, "features": features})
            except ValidationFailed as exc:
                feature_errors = apply_errors(form, exc)
            else:
                return redirect("web:installation-detail", pk=installation.pk)
        else:
            feature_errors = feature_errors_only(definitions, features, partial=False)
    fields = feature_forms.build_fields(definitions, data=data, errors=feature_errors)
    context = {"form": form, "feature_fields": fields, "installation": None, "feature_errors": feature_errors}
    return render(request, "web/installations/form.html", context, status=200 if data is None else 422)


@login_required
def installation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    installation = get_installation_for(request.user, pk, write=True)
    data = posted(request)
    form = _form(request, data, initial=initial_for(installation))
    definitions = definitions_for_installation_type(_chosen_type(request, installation.installation_type))
    feature_errors: dict[str, list[str]] = {}
    conflict = None
    if data is not None:
        features = feature_forms.parse(definitions, data, stored=installation.features)
        if form.is_valid():
            changes = changed_fields(form.cleaned_data, installation, FIELDS)
            try:
                installation_update(
                    actor=request.user,
                    installation=installation,
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
                return redirect("web:installation-detail", pk=installation.pk)
        else:
            feature_errors = feature_errors_only(definitions, features, partial=True)
    fields = feature_forms.build_fields(
        definitions, stored=installation.features, data=data, errors=feature_errors
    )
    context = {
        "form": form,
        "feature_fields": fields,
        "installation": installation,
        "conflict": conflict,
        "feature_errors": feature_errors,
    }
    status = 200 if data is None else (409 if conflict is not None else 422)
    return render(request, "web/installations/form.html", context, status=status)


@login_required
@require_GET
def installation_feature_fields(request: HttpRequest) -> HttpResponse:
    definitions = definitions_for_installation_type(_chosen_type(request))
    fields = feature_forms.build_fields(definitions, data=request.GET)
    return render(request, "web/includes/feature_fields.html", {"feature_fields": fields})
