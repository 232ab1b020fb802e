"""Parsing-only forms: they turn posted text into typed values; the services validate."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet

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


# Above this many parties a select list gets unwieldy (and slow to render): type the name instead.
PARTY_SELECT_LIMIT = 300


def use_party_text(form: forms.Form, name: str, parties: Any, *, label: str) -> None:
    """Swap the party select for a text input when there are many parties to choose from."""
    if parties.count() <= PARTY_SELECT_LIMIT:
        form.fields[name].queryset = parties  # type: ignore[attr-defined]
        return
    form.fields[name] = forms.CharField(
        required=False,
        label=label,
        help_text="Party name or reference, exactly as recorded",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    form.parties = parties  # type: ignore[attr-defined]
    initial: Any = form.initial.get(name)
    if initial is not None and hasattr(initial, "name"):
        # The reference is unique; names need not be.
        form.initial[name] = initial.reference or initial.name


def resolve_party(form: forms.Form, name: str) -> Any:
    value = form.cleaned_data.get(name)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    parties = form.parties  # type: ignore[attr-defined]
    by_reference = parties.filter(reference=text).first()
    if by_reference is not None:
        return by_reference
    matches = list(parties.filter(name__iexact=text)[:2])
    if not matches:
        raise forms.ValidationError(f"No party named {text!r} that you can see.")
    if len(matches) > 1:
        raise forms.ValidationError(f"Several parties are named {text!r}; give the reference instead.")
    return matches[0]


class TypedTreeForm(VersionedForm):
    """What a contract's and an installation's form share: a type, a party, a parent named by its
    own key (number, serial number) among those the user sees, and a team."""

    type_field: ClassVar[str]
    party_field: ClassVar[str]
    party_label: ClassVar[str]
    parent_key: ClassVar[str]
    parent_missing: ClassVar[str]  # formatted with the key typed, e.g. "No contract numbered {!r} …"

    def __init__(
        self,
        *args: Any,
        types: QuerySet,
        parties: QuerySet,
        parents: QuerySet,
        teams: QuerySet,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.parents = parents
        self.fields[self.type_field].queryset = types  # type: ignore[attr-defined]
        use_party_text(self, self.party_field, parties, label=self.party_label)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def clean_parent(self) -> Any:
        key = (self.cleaned_data.get("parent") or "").strip()
        if not key:
            return None
        found = self.parents.filter(**{self.parent_key: key}).first()
        if found is None:
            raise forms.ValidationError(self.parent_missing.format(key))
        return found

    @classmethod
    def initial_for(cls, obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(obj, name) for name in names}
        data["parent"] = getattr(obj.parent, cls.parent_key) if obj.parent else ""
        data["version"] = obj.version
        return data
