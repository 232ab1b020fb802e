"""The create/edit flow contracts and installations share: plain fields, typed features, conflicts.

Each side says only what differs (its form, its type's definitions, its services) in a `FormFlow`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from servanda.core.errors import ValidationFailed, VersionConflict
from servanda.features.models import FeatureDefinition
from servanda.web.forms import features as feature_forms
from servanda.web.forms.base import VersionedForm, changed_fields

from .form_support import apply_errors, conflict_rows, feature_errors_only, posted, with_version


@dataclass(frozen=True)
class FormFlow:
    # Names the context variable, the update service's keyword, web/<noun>s/form.html, web:<noun>-detail.
    noun: str
    # (request, data, initial) -> the bound form with the caller's choices.
    form: Callable[[HttpRequest, QueryDict | None, dict[str, Any] | None], VersionedForm]
    # The definitions for the type chosen in the request, else for `current`'s type (None on create).
    definitions: Callable[[HttpRequest, Any], list[FeatureDefinition]]
    create: Callable[..., Any]
    update: Callable[..., Any]
    fields: tuple[str, ...]
    labels: Mapping[str, str]
    initial_for: Callable[[Any], dict[str, Any]]

    @property
    def template(self) -> str:
        return f"web/{self.noun}s/form.html"

    def done(self, obj: Any) -> HttpResponse:
        return redirect(f"web:{self.noun}-detail", pk=obj.pk)


def labels_for(form_class: type[VersionedForm], fields: tuple[str, ...]) -> dict[str, str]:
    """What the conflict table calls each field: the form's label, else the field name."""
    return {
        name: str(form_class.base_fields[name].label or name.replace("_", " ").capitalize())
        for name in fields
    }


def create_page(request: HttpRequest, flow: FormFlow) -> HttpResponse:
    data = posted(request)
    groups = list(request.user.groups.order_by("name")[:1])
    form = flow.form(request, data, {"team": groups[0] if groups else None})
    definitions = flow.definitions(request, None)
    feature_errors: dict[str, list[str]] = {}
    if data is not None:
        features = feature_forms.parse(definitions, data)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                obj = flow.create(actor=request.user, **{**values, "features": features})
            except ValidationFailed as exc:
                feature_errors = apply_errors(form, exc)
            else:
                return flow.done(obj)
        else:
            feature_errors = feature_errors_only(definitions, features, partial=False)
    fields = feature_forms.build_fields(definitions, data=data, errors=feature_errors)
    context = {"form": form, "feature_fields": fields, flow.noun: None, "feature_errors": feature_errors}
    return render(request, flow.template, context, status=200 if data is None else 422)


def edit_page(request: HttpRequest, flow: FormFlow, current: Any) -> HttpResponse:
    """Saves only the changed fields; on a version conflict shows theirs against yours, 409."""
    data = posted(request)
    form = flow.form(request, data, flow.initial_for(current))
    definitions = flow.definitions(request, current)
    feature_errors: dict[str, list[str]] = {}
    conflict = None
    if data is not None:
        features = feature_forms.parse(definitions, data, stored=current.features)
        if form.is_valid():
            changes = changed_fields(form.cleaned_data, current, flow.fields)
            try:
                flow.update(
                    actor=request.user,
                    version=form.cleaned_data.get("version"),
                    features=features,
                    **{flow.noun: current},
                    **changes,
                )
            except VersionConflict as exc:
                conflict = conflict_rows(exc.current, form.cleaned_data, flow.labels, definitions, features)
                form = flow.form(request, with_version(data, exc.current.version), None)
                form.is_valid()
            except ValidationFailed as exc:
                feature_errors = apply_errors(form, exc)
            else:
                return flow.done(current)
        else:
            feature_errors = feature_errors_only(definitions, features, partial=True)
    fields = feature_forms.build_fields(
        definitions, stored=current.features, data=data, errors=feature_errors
    )
    context = {
        "form": form,
        "feature_fields": fields,
        flow.noun: current,
        "conflict": conflict,
        "feature_errors": feature_errors,
    }
    status = 200 if data is None else (409 if conflict is not None else 422)
    return render(request, flow.template, context, status=status)


def feature_fields_page(request: HttpRequest, flow: FormFlow) -> HttpResponse:
    """The feature inputs for the chosen type (htmx swap when the type changes); typed values kept."""
    fields = feature_forms.build_fields(flow.definitions(request, None), data=request.GET)
    return render(request, "web/includes/feature_fields.html", {"feature_fields": fields})
