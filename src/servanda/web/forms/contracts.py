from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import Group
from django.db.models import QuerySet

from servanda.contracts.models import Contract, ContractType

from .base import DATE, DURATION_HELP, VersionedForm, duration_input, resolve_party, use_party_text

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


class ContractForm(VersionedForm):
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

    def __init__(
        self,
        *args: Any,
        types: QuerySet,
        parties: QuerySet,
        contracts: QuerySet,
        teams: QuerySet,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contracts = contracts
        self.fields["contract_type"].queryset = types  # type: ignore[attr-defined]
        use_party_text(self, "party", parties, label="Party")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["contract_type"].widget.attrs["required"] = True

    def clean_party(self) -> Any:
        return resolve_party(self, "party")

    def clean_parent(self) -> Contract | None:
        number = (self.cleaned_data.get("parent") or "").strip()
        if not number:
            return None
        found = self.contracts.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(f"No contract numbered {number!r} that you can see.")
        return found


def initial_for(contract: Contract) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(contract, name) for name in FIELDS}
    data["parent"] = contract.parent.number if contract.parent else ""
    data["version"] = contract.version
    return data
