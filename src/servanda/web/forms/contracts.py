from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import Group

from servanda.contracts.models import Contract, ContractType

from .base import DATE, DURATION_HELP, TypedTreeForm, duration_input, resolve_party

FIELDS = (
    "number",
    "title",
    "contract_type",
    "party",
    "status",
    "commencement_date",
    "initial_term",
    "renewal_term",
    "notice_period",
    "end_date",
    "parent",
    "team",
)


class ContractForm(TypedTreeForm):
    type_field = "contract_type"
    party_field = "party"
    party_label = "Party"
    parent_key = "number"
    parent_missing = "No contract numbered {!r} that you can see."

    # Presence and consistency are the service's to judge, so nothing here is required.
    number = forms.CharField(required=False, max_length=80, widget=forms.TextInput(attrs={"required": True}))
    title = forms.CharField(required=False, max_length=500, widget=forms.TextInput(attrs={"required": True}))
    contract_type = forms.ModelChoiceField(
        queryset=ContractType.objects.none(), required=False, label="Type", empty_label="— choose a type —"
    )
    party: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="— none —"
    )
    status = forms.ChoiceField(choices=Contract.Status.choices, initial=Contract.Status.DRAFT)
    commencement_date = forms.DateField(required=False, widget=DATE, label="Commencement date")
    initial_term = forms.CharField(required=False, widget=duration_input(), help_text=DURATION_HELP)
    renewal_term = forms.CharField(
        required=False, widget=duration_input(), help_text="Tacit renewal by this term; empty: no renewal"
    )
    notice_period = forms.CharField(required=False, widget=duration_input(), help_text=DURATION_HELP)
    end_date = forms.DateField(
        required=False,
        widget=DATE,
        label="End date (inclusive)",
        help_text="Only without an initial term; with one, the end is computed",
    )
    parent = forms.CharField(
        required=False,
        label="Part of (contract number)",
        help_text="The framework agreement this falls under",
    )
    team = forms.ModelChoiceField(
        queryset=Group.objects.none(), required=False, empty_label="No team (everyone)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract_type"].widget.attrs["required"] = True

    def clean_party(self) -> Any:
        return resolve_party(self, "party")


def initial_for(contract: Contract) -> dict[str, Any]:
    return ContractForm.initial_for(contract, FIELDS)
