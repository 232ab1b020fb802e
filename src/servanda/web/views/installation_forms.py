"""Create and edit installations; feature inputs come from the installation type's definitions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.http import require_GET

from servanda.core.scope import require
from servanda.features.models import FeatureDefinition
from servanda.features.validation import definitions_for_installation_type
from servanda.installations.access import (
    get_installation_for,
    installation_types_visible_to,
    installations_visible_to,
)
from servanda.installations.models import Installation, InstallationType
from servanda.installations.services import installation_create, installation_update
from servanda.parties.access import parties_visible_to
from servanda.web.forms.installations import FIELDS, InstallationForm, initial_for

from .entity_forms import FormFlow, create_page, edit_page, feature_fields_page, labels_for


def _form(request: HttpRequest, data: QueryDict | None, initial: dict[str, Any] | None) -> InstallationForm:
    return InstallationForm(
        data,
        initial=initial,
        types=installation_types_visible_to(request.user),
        parties=parties_visible_to(request.user).order_by("name"),
        parents=installations_visible_to(request.user),
        teams=request.user.groups.order_by("name"),
    )


def _chosen_type(request: HttpRequest, fallback: InstallationType | None = None) -> InstallationType | None:
    # The type is optional: a posted empty choice means "no type", not "keep the stored one".
    source = request.POST if request.method == "POST" else request.GET
    if "installation_type" not in source:
        return fallback
    raw = source.get("installation_type") or ""
    return installation_types_visible_to(request.user).filter(pk=raw if raw.isdigit() else -1).first()


def _definitions(request: HttpRequest, installation: Installation | None) -> list[FeatureDefinition]:
    return definitions_for_installation_type(
        _chosen_type(request, installation.installation_type if installation else None)
    )


FLOW = FormFlow(
    noun="installation",
    form=_form,
    definitions=_definitions,
    create=installation_create,
    update=installation_update,
    fields=FIELDS,
    labels=labels_for(InstallationForm, FIELDS),
    initial_for=initial_for,
)


@login_required
def installation_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Installation, "add")
    return create_page(request, FLOW)


@login_required
def installation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return edit_page(request, FLOW, get_installation_for(request.user, pk, write=True))


@login_required
@require_GET
def installation_feature_fields(request: HttpRequest) -> HttpResponse:
    return feature_fields_page(request, FLOW)
