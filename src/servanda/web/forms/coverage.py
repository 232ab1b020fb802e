from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from servanda.installations.models import Installation

from .base import DATE


class CoverageForm(forms.Form):
    serial_number = forms.CharField(max_length=120, label="Serial number")
    start = forms.DateField(widget=DATE, label="From")
    end = forms.DateField(
        required=False, widget=DATE, label="Until and including", help_text="Empty: open-ended"
    )
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, installations: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.installations = installations

    def clean_serial_number(self) -> Installation:
        serial = self.cleaned_data["serial_number"].strip()
        found = self.installations.filter(serial_number=serial).first()
        if found is None:
            raise forms.ValidationError(f"No installation with serial number {serial!r} that you can see.")
        return found


class CoverageEndForm(forms.Form):
    end = forms.DateField(widget=DATE, label="Last covered day")
    version = forms.IntegerField(widget=forms.HiddenInput)
