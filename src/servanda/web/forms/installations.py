from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import Group
from django.db.models import QuerySet

from servanda.installations.models import Installation, InstallationType

from .base import DATE, VersionedForm, resolve_party, use_party_text

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


class InstallationForm(VersionedForm):
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

    def __init__(
        self,
        *args: Any,
        types: QuerySet,
        parties: QuerySet,
        installations: QuerySet,
        teams: QuerySet,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.installations = installations
        self.fields["installation_type"].queryset = types  # type: ignore[attr-defined]
        use_party_text(self, "owner", parties, label="Owner")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def clean_owner(self) -> Any:
        return resolve_party(self, "owner")

    def clean_parent(self) -> Installation | None:
        serial = (self.cleaned_data.get("parent") or "").strip()
        if not serial:
            return None
        found = self.installations.filter(serial_number=serial).first()
        if found is None:
            raise forms.ValidationError(f"No installation with serial number {serial!r} that you can see.")
        return found


def initial_for(installation: Installation) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(installation, name) for name in FIELDS}
    data["parent"] = installation.parent.serial_number if installation.parent else ""
    data["version"] = installation.version
    return data
