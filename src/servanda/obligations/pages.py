"""A contract's planned obligations: the list, and the create / edit form.

The form only parses; `obligations.services` validates (recurrence, scope, responsible)
and regenerates the contract's schedule. Errors come back at their fields, and a save
over someone else's change shows both versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from servanda.contracts.access import get_contract_for
from servanda.contracts.models import Contract
from servanda.core.errors import ValidationFailed, VersionConflict
from servanda.web import dates
from servanda.web.forms.base import DATE, VersionedForm
from servanda.work.models import WorkItem
from servanda.work.pages.common import assignee_choices

from .access import get_obligation_for
from .models import Mode, Obligation, Scope, Unit
from .services import obligation_create, obligation_update

LIVE = (WorkItem.Status.OPEN, WorkItem.Status.IN_PROGRESS)
LABELS = {
    "description": "What has to be done",
    "interval": "Every",
    "interval_unit": "Unit",
    "rrule": "RFC 5545 rule",
    "anchor_date": "Anchor (first occurrence)",
    "scope": "Applies to",
    "responsible": "Responsible",
    "lead_days": "Lead time (days)",
    "estimated_minutes": "Estimated effort (minutes)",
    "mode": "Mode",
    "active": "Active",
}
# Service field → form field, for errors and the conflict view.
FIELD_OF = {"responsible_user": "responsible", "responsible_role": "responsible"}


class ObligationForm(VersionedForm):
    description = forms.CharField(label=LABELS["description"], max_length=500)
    recurrence = forms.ChoiceField(
        label="Recurrence",
        choices=[("interval", "Every N days / weeks / months / years"), ("rrule", "An RFC 5545 rule")],
        widget=forms.RadioSelect,
        initial="interval",
    )
    interval = forms.IntegerField(label=LABELS["interval"], min_value=1, required=False, initial=1)
    interval_unit = forms.ChoiceField(label=LABELS["interval_unit"], choices=Unit.choices, required=False)
    rrule = forms.CharField(
        label=LABELS["rrule"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono", "placeholder": "FREQ=MONTHLY;BYDAY=1MO"}),
        help_text="RRULE, optionally with EXDATE / RDATE lines; stored exactly as typed.",
    )
    anchor_date = forms.DateField(
        label=LABELS["anchor_date"],
        required=False,
        widget=DATE,
        help_text="Empty: the contract's commencement, or each installation's coverage start.",
    )
    scope = forms.ChoiceField(label=LABELS["scope"], choices=Scope.choices)
    responsible = forms.ChoiceField(label=LABELS["responsible"], required=False)
    lead_days = forms.IntegerField(
        label=LABELS["lead_days"],
        min_value=0,
        initial=14,
        help_text="Shown in work lists this many days ahead.",
    )
    estimated_minutes = forms.IntegerField(label=LABELS["estimated_minutes"], min_value=0, required=False)
    mode = forms.ChoiceField(label=LABELS["mode"], choices=Mode.choices, widget=forms.RadioSelect)
    active = forms.BooleanField(label=LABELS["active"], required=False, initial=True)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        responsible = self.fields["responsible"]
        assert isinstance(responsible, forms.ChoiceField)
        responsible.choices = [("", "— nobody yet —"), *assignee_choices(viewer)]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as `obligation_create` / `obligation_update` take them."""
        c = self.cleaned_data
        by_rule = c["recurrence"] == "rrule"
        kind, _, ident = (c.get("responsible") or "").partition(":")
        return {
            "description": c["description"],
            "rrule": c.get("rrule", "") if by_rule else "",
            "interval": None if by_rule else c.get("interval"),
            "interval_unit": "" if by_rule else c.get("interval_unit", ""),
            "anchor_date": c.get("anchor_date"),
            "scope": c["scope"],
            "responsible_user": int(ident) if kind == "user" else None,
            "responsible_role": int(ident) if kind == "role" else None,
            "lead_days": c["lead_days"],
            "estimated_minutes": c.get("estimated_minutes"),
            "mode": c["mode"],
            "active": bool(c.get("active")),
        }


def initial_of(obl: Obligation) -> dict[str, Any]:
    responsible = ""
    if obl.responsible_user_id is not None:
        responsible = f"user:{obl.responsible_user_id}"
    elif obl.responsible_role_id is not None:
        responsible = f"role:{obl.responsible_role_id}"
    return {
        "version": obl.version,
        "description": obl.description,
        "recurrence": "rrule" if obl.rrule else "interval",
        "interval": obl.interval,
        "interval_unit": obl.interval_unit or Unit.MONTH,
        "rrule": obl.rrule,
        "anchor_date": obl.anchor_date,
        "scope": obl.scope,
        "responsible": responsible,
        "lead_days": obl.lead_days,
        "estimated_minutes": obl.estimated_minutes,
        "mode": obl.mode,
        "active": obl.active,
    }


def recurrence_text(obl: Obligation) -> str:
    if obl.rrule:
        return obl.rrule
    n, unit = obl.interval or 1, Unit(obl.interval_unit or Unit.MONTH).label
    every = f"every {unit[:-1]}" if n == 1 else f"every {n} {unit}"
    return f"{every} from {dates.day(obl.anchor_date)}" if obl.anchor_date else every


@dataclass
class Row:
    obligation: Obligation
    recurrence: str
    next_due: Any
    open_count: int


def _rows(contract: Contract) -> list[Row]:
    obligations = list(
        Obligation.objects.filter(contract=contract).select_related("responsible_user", "responsible_role")
    )
    live: dict[int, Any] = {
        r["obligation"]: r
        for r in WorkItem.objects.filter(obligation__contract=contract, status__in=LIVE)
        .values("obligation")
        .annotate(next_due=Min("due_date"), n=Count("id"))
        .order_by()
    }
    return [
        Row(o, recurrence_text(o), live.get(o.pk, {}).get("next_due"), live.get(o.pk, {}).get("n", 0))
        for o in obligations
    ]


def _may_edit(request: HttpRequest) -> bool:
    return bool(request.user.is_superuser or request.user.has_perm("contracts.change_contract"))


@login_required
def contract_obligations(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request.user, pk)
    context = {"contract": contract, "rows": _rows(contract), "can_edit": _may_edit(request)}
    return render(request, "obligations/contract_obligations.html", context)


def _apply_errors(form: ObligationForm, exc: ValidationFailed) -> None:
    for err in exc.errors:
        form.add_domain_error(FIELD_OF.get(err.field, err.field), err.message)
    if not exc.errors:
        form.add_error(None, exc.detail)


@login_required
def obligation_new(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request.user, pk, write=True)
    form = ObligationForm(
        request.POST or None,
        viewer=request.user,
        initial={"scope": Scope.CONTRACT, "mode": Mode.ANCHORED, "interval_unit": Unit.MONTH, "active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            # A new obligation starts active; the box only shows when editing.
            obl = obligation_create(
                actor=request.user, contract=contract, **{**form.service_fields(), "active": True}
            )
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Obligation “{obl.description}” added; its work is planned.")
            return redirect("work:contract-obligations", pk=contract.pk)
    return render(
        request, "obligations/obligation_form.html", {"contract": contract, "form": form, "obligation": None}
    )


@dataclass
class Difference:
    label: str
    theirs: str
    yours: str


def _differences(current: Obligation, fields: dict[str, Any]) -> list[Difference]:
    theirs = initial_of(current)
    yours = {**fields, "responsible": _responsible_key(fields)}
    out = []
    for name, label in LABELS.items():
        t, y = theirs.get(name), yours.get(name)
        if name in ("interval", "interval_unit") and current.rrule:
            continue
        if (t or None) != (y or None):
            out.append(Difference(label, _show(t), _show(y)))
    return out


def _responsible_key(fields: dict[str, Any]) -> str:
    if fields.get("responsible_user"):
        return f"user:{fields['responsible_user']}"
    if fields.get("responsible_role"):
        return f"role:{fields['responsible_role']}"
    return ""


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat"):
        return dates.day(value)
    return str(value)


@login_required
def obligation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obl = get_obligation_for(request.user, pk, write=request.method == "POST")
    contract = obl.contract
    form = ObligationForm(request.POST or None, viewer=request.user, initial=initial_of(obl))
    conflict: list[Difference] | None = None
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            obligation_update(
                actor=request.user, obligation=obl, version=form.cleaned_data.get("version"), **fields
            )
        except VersionConflict as exc:
            conflict = _differences(exc.current, fields)
            data = request.POST.copy()
            data["version"] = str(exc.current.version)
            form = ObligationForm(data, viewer=request.user, initial=initial_of(exc.current))
            form.is_valid()
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Obligation “{fields['description']}” saved; its work follows.")
            return redirect("work:contract-obligations", pk=contract.pk)
    context = {"contract": contract, "form": form, "obligation": obl, "conflict": conflict}
    return render(request, "obligations/obligation_form.html", context)
