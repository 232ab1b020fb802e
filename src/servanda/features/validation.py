"""Validating features documents against the definitions that apply (thin wrapper over rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Prefetch

from servanda.core.errors import FieldError, ValidationFailed
from servanda.rules.featurevalues import FeatureSpec, check_values

from .models import Characteristic, Entity, FeatureDefinition


def spec_of(definition: FeatureDefinition) -> FeatureSpec:
    # Uses prefetched characteristics when present (definitions_for_* prefetch them).
    codes = tuple(c.code for c in definition.characteristics.all())
    return FeatureSpec(
        key=definition.key,
        label=definition.label,
        data_type=definition.data_type,
        required=definition.required,
        default=definition.default,
        codes=codes,
        reference_entity=definition.reference_entity,
    )


def _existing_references(entity: str, ids: set[int]) -> set[int]:
    from servanda.contracts.models import Contract
    from servanda.installations.models import Installation
    from servanda.parties.models import Party

    models: dict[str, Any] = {
        Entity.CONTRACT: Contract,
        Entity.INSTALLATION: Installation,
        Entity.PARTY: Party,
    }
    model = models.get(entity)
    if model is None:  # cases have no table yet: nothing to check against
        return set(ids)
    return set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))


def validate_feature_values(
    *,
    definitions: Sequence[FeatureDefinition],
    values: Mapping[str, Any],
    partial: bool = False,
    apply_defaults: bool = True,
) -> dict:
    """Normalized JSON-ready values, or ValidationFailed with one `features.<key>` error per bad key."""
    if not isinstance(values, Mapping):
        raise ValidationFailed.one("features", "features must be an object keyed by feature key")
    specs = [spec_of(d) for d in definitions]
    out, errors = check_values(
        specs,
        values,
        partial=partial,
        apply_defaults=apply_defaults,
        existing_references=_existing_references,
    )
    if errors:
        field_errors = [FieldError(f"features.{k}", msg) for k, msg in sorted(errors.items())]
        detail = "; ".join(e.message for e in field_errors)
        raise ValidationFailed(field_errors, f"Invalid features: {detail}")
    return out


def _with_characteristics(qs: Any) -> list[FeatureDefinition]:
    return list(
        qs.prefetch_related(
            Prefetch("characteristics", queryset=Characteristic.objects.order_by("position", "code"))
        )
    )


def definitions_for_contract_type(contract_type: Any) -> list[FeatureDefinition]:
    """The feature definitions a contract of this type carries (characteristics prefetched)."""
    return _with_characteristics(contract_type.feature_definitions.filter(entity=Entity.CONTRACT))


def definitions_for_installation_type(installation_type: Any) -> list[FeatureDefinition]:
    """Definitions for installations of this type; without a type, every installation definition."""
    if installation_type is None:
        return _with_characteristics(FeatureDefinition.objects.filter(entity=Entity.INSTALLATION))
    return _with_characteristics(installation_type.feature_definitions.filter(entity=Entity.INSTALLATION))


def definitions_by_key(definitions: Iterable[FeatureDefinition]) -> dict[str, FeatureDefinition]:
    return {d.key: d for d in definitions}
