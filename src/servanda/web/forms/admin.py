"""Administrator forms: feature definitions, characteristics, contract and installation types."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from servanda.features.models import DataType, Entity

from .base import VersionedForm


class FeatureDefinitionForm(VersionedForm):
    entity = forms.ChoiceField(choices=[(Entity.CONTRACT, "Contract"), (Entity.INSTALLATION, "Installation")])
    key = forms.CharField(
        required=False, max_length=60, help_text="Letters, digits, - and _; used in the API"
    )
    label = forms.CharField(required=False, max_length=200)
    data_type = forms.ChoiceField(choices=DataType.choices, label="Data type")
    unit = forms.CharField(required=False, max_length=30, help_text="Shown next to numbers, e.g. kW, h")
    required = forms.BooleanField(required=False)
    default = forms.CharField(
        required=False, help_text='As JSON: 10, "P1Y", true, "gold", {"amount": "10.00", "currency": "EUR"}'
    )
    reference_entity = forms.ChoiceField(
        choices=[("", "—"), *Entity.choices], required=False, label="Refers to (reference type only)"
    )
    help_text = forms.CharField(required=False, max_length=300, label="Help text")
    position = forms.IntegerField(required=False, min_value=0, initial=0)
    indexed = forms.BooleanField(required=False, initial=True, help_text="Keep an index for fast filtering")
    characteristics = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Choice types: one per line, code = label (e.g. gold = Gold, around the clock)",
    )

    def clean_default(self) -> Any:
        raw = (self.cleaned_data.get("default") or "").strip()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            # Bare text is what people type for a text or choice default.
            return raw

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0

    def clean_characteristics(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("characteristics") or "").splitlines():
            if not line.strip():
                continue
            code, _, label = line.partition("=")
            rows.append((code.strip(), label.strip() or code.strip()))
        return rows


class CharacteristicForm(forms.Form):
    code = forms.CharField(max_length=60)
    label = forms.CharField(required=False, max_length=200)


class TypeForm(VersionedForm):
    code = forms.CharField(required=False, max_length=60, help_text="Letters, digits, - and _")
    name = forms.CharField(required=False, max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    feature_definitions: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Features that apply"
    )

    def __init__(self, *args: Any, definitions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feature_definitions"].queryset = definitions  # type: ignore[attr-defined]


class ContractTypeForm(TypeForm):
    number_prefix = forms.CharField(required=False, max_length=20, label="Number prefix")
