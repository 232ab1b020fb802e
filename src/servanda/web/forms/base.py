"""Parsing-only forms: they turn posted text into typed values; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DURATION_HELP = "ISO 8601: P1Y = 1 year, P6M = 6 months, P30D = 30 days"


def duration_input() -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": "P1Y", "pattern": "[Pp].*", "autocomplete": "off"})


class VersionedForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def add_domain_error(self, field: str, message: str) -> None:
        """A service's error at its field when the form has one, else at the top."""
        name = field.split(".", 1)[0]
        self.add_error(name if name in self.fields and name != "version" else None, message)


def changed_fields(cleaned: dict[str, Any], current: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The posted values that differ from the object: a save sends only what the user changed."""
    out = {}
    for name in names:
        if name not in cleaned:
            continue
        value = cleaned[name]
        existing = getattr(current, name)
        if (value or None) != (existing or None):
            out[name] = value
    return out
