"""What the create/edit pages share: domain errors onto the form, the 'someone else changed this' view."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict

from servanda.core.errors import ValidationFailed
from servanda.features.models import FeatureDefinition
from servanda.features.validation import validate_feature_values
from servanda.web.display import feature_text, plain_value
from servanda.web.forms import features as feature_forms
from servanda.web.forms.base import VersionedForm


def apply_errors(form: VersionedForm, exc: ValidationFailed) -> dict[str, list[str]]:
    """Put every non-feature error on its field; return the feature errors by key."""
    by_feature, others = feature_forms.split_errors(exc)
    for field, message in others:
        form.add_domain_error(field, message)
    if not exc.errors:
        form.add_error(None, exc.detail)
    return by_feature


def feature_errors_only(
    definitions: list[FeatureDefinition], values: dict[str, Any], *, partial: bool
) -> dict:
    """When the plain fields already failed, still judge the features so every error shows at once."""
    try:
        validate_feature_values(definitions=definitions, values=values, partial=partial)
    except ValidationFailed as exc:
        return feature_forms.split_errors(exc)[0]
    return {}


def with_version(data: QueryDict, version: int) -> QueryDict:
    """The user's posted values with the current version, so saving again applies them."""
    copy = data.copy()
    copy["version"] = str(version)
    return copy


@dataclass
class Difference:
    label: str
    theirs: str
    yours: str


def _show(value: Any) -> str:
    if hasattr(value, "pk"):
        return str(value)
    return plain_value(value)


def conflict_rows(
    current: Any,
    cleaned: Mapping[str, Any],
    labels: Mapping[str, str],
    definitions: Iterable[FeatureDefinition],
    features: Mapping[str, Any],
) -> list[Difference]:
    """Fields where the stored object (theirs) and the submitted form (yours) differ."""
    rows = []
    for name, label in labels.items():
        if name not in cleaned:
            continue
        theirs, yours = getattr(current, name), cleaned[name]
        if (theirs or None) != (yours or None):
            rows.append(Difference(label, _show(theirs), _show(yours)))
    stored = current.features or {}
    for d in definitions:
        theirs, yours = stored.get(d.key), features.get(d.key)
        labels_ = {c.code: c.label for c in d.characteristics.all()}
        t = feature_text(theirs, data_type=d.data_type, unit=d.unit, labels=labels_)
        y = feature_text(yours, data_type=d.data_type, unit=d.unit, labels=labels_)
        if t != y:
            rows.append(Difference(d.label, t, y))
    return rows


def posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None
