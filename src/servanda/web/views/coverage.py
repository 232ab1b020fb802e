"""Covering installations from the contract page: add a coverage, end one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from servanda.contracts.access import get_contract_for
from servanda.core.errors import ValidationFailed, VersionConflict
from servanda.core.scope import require
from servanda.installations.access import get_coverage_for, installations_visible_to
from servanda.installations.coverage import coverage_create, coverage_end
from servanda.installations.models import Coverage
from servanda.web.forms.coverage import CoverageEndForm, CoverageForm

from .contracts import tab_context
from .shared import on_date

FIELD_OF = {"installation": "serial_number", "contract": None}


def _back(pk: int) -> str:
    return reverse("web:contract-detail", args=[pk]) + "?tab=installations"


@login_required
@require_POST
def coverage_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request.user, pk)
    require(request.user, Coverage, "add")
    form = CoverageForm(request.POST, installations=installations_visible_to(request.user))
    if form.is_valid():
        try:
            coverage_create(
                actor=request.user,
                contract=contract,
                installation=form.cleaned_data["serial_number"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                note=form.cleaned_data["note"],
            )
        except ValidationFailed as exc:
            for e in exc.errors:
                name = FIELD_OF.get(e.field, e.field)
                form.add_error(name if name in form.fields else None, e.message)
        else:
            if not request.headers.get("HX-Request"):
                return redirect(_back(pk))
            form = CoverageForm(installations=installations_visible_to(request.user))
    if not request.headers.get("HX-Request") and form.errors:
        messages.error(request, "; ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect(_back(pk))
    context = {"contract": contract, "on": on_date(request)}
    context.update(tab_context(request, contract, "installations", on_date(request)))
    context["cover_form"] = form
    return render(request, "web/contracts/tabs.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def coverage_end_view(request: HttpRequest, pk: int, coverage_id: int) -> HttpResponse:
    coverage = get_coverage_for(request.user, coverage_id, write=True)
    if coverage.contract_id != pk:
        raise Http404("Not found.")
    form = CoverageEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the last covered day as a date.")
        return redirect(_back(pk))
    try:
        coverage_end(
            actor=request.user,
            coverage=coverage,
            version=form.cleaned_data["version"],
            end=form.cleaned_data["end"],
        )
    except ValidationFailed as exc:
        messages.error(request, "; ".join(e.message for e in exc.errors) or exc.detail)
    except VersionConflict:
        messages.error(
            request, "Someone else changed this coverage in the meantime; here is its current state."
        )
    else:
        messages.success(request, "Coverage ended.")
    return redirect(_back(pk))
