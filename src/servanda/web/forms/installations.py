from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import Group

from servanda.installations.models import Installation, InstallationType

from .base import DATE, TypedTreeForm, resolve_party

FIELDS = (
    "serial_number",
    "product",
    "model",
    "installation_type",
    "owner",
    "site",
    "installed_on",
    "status",
    "parent",
    "team",
)


class InstallationForm(TypedTreeForm):
    type_field = "installation_type"
    party_field = "owner"
    party_label = "Owner"
    parent_key = "serial_number"
    parent_missing = "No installation with serial number {!r} that you can see."

    serial_number = forms.CharField(
        required=False, max_length=120, widget=forms.TextInput(attrs={"required": True})
    )
    product = forms.CharField(required=False, max_length=200)
    model = forms.CharField(required=False, max_length=200)
    installation_type = forms.ModelChoiceField(
        queryset=InstallationType.objects.none(), required=False, label="Type", empty_label="— no type —"
    )
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="— none —"
    )
    site = forms.CharField(required=False, max_length=300)
    installed_on = forms.DateField(required=False, widget=DATE, label="Installed on")
    status = forms.ChoiceField(choices=Installation.Status.choices, initial=Installation.Status.ACTIVE)
    parent = forms.CharField(
        required=False, label="Module of (serial number)", help_text="The machine this is a part of"
    )
    team = forms.ModelChoiceField(
        queryset=Group.objects.none(), required=False, empty_label="No team (everyone)"
    )

    def clean_owner(self) -> Any:
        return resolve_party(self, "owner")


def initial_for(installation: Installation) -> dict[str, Any]:
    return InstallationForm.initial_for(installation, FIELDS)
