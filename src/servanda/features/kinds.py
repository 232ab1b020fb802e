"""Writes to contract types and installation types: which feature definitions apply."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from servanda.core.errors import FieldError, Refused, ValidationFailed
from servanda.core.versioning import lock_current, refuse_unknown, snapshot
from servanda.events.services import diff, event_record

from .models import Entity, FeatureDefinition

DefinitionRef = FeatureDefinition | int | str


def _definitions(entity: str, refs: Sequence[DefinitionRef]) -> list[FeatureDefinition]:
    """Definitions by object, id or key; all must be for `entity`."""
    ids = [r.pk if isinstance(r, FeatureDefinition) else r for r in refs if not isinstance(r, str)]
    keys = [r for r in refs if isinstance(r, str)]
    found = list(FeatureDefinition.objects.filter(pk__in=ids)) + list(
        FeatureDefinition.objects.filter(entity=entity, key__in=keys)
    )
    errors: list[FieldError] = []
    missing = sorted({str(i) for i in ids} - {str(d.pk) for d in found}) + sorted(
        set(keys) - {d.key for d in found if d.entity == entity}
    )
    if missing:
        errors.append(
            FieldError("feature_definitions", f"no {entity} feature definition {', '.join(missing)}")
        )
    wrong = sorted(f"{d.entity}.{d.key}" for d in found if d.entity != entity)
    if wrong:
        errors.append(FieldError("feature_definitions", f"not {entity} features: {', '.join(wrong)}"))
    if errors:
        raise ValidationFailed(errors)
    return list({d.pk: d for d in found}.values())


def _keys(obj: Any) -> list[str]:
    return sorted(obj.feature_definitions.values_list("key", flat=True))


def _validate(model: type, obj: Any) -> None:
    errors: list[FieldError] = []
    from .query import KEY_PATTERN

    if not KEY_PATTERN.match(obj.code or ""):
        errors.append(FieldError("code", "a code uses letters, digits, '-' and '_' only"))
    elif model.objects.filter(code=obj.code).exclude(pk=obj.pk).exists():  # type: ignore[attr-defined]
        errors.append(FieldError("code", f"code {obj.code!r} is taken"))
    if not (obj.name or "").strip():
        errors.append(FieldError("name", "a name is required"))
    if errors:
        raise ValidationFailed(errors)


def type_create(
    *,
    actor: Any,
    model: type,
    entity: str,
    event_entity: str,
    fields: tuple[str, ...],
    values: dict[str, Any],
) -> Any:
    refs = values.pop("feature_definitions", None) or []
    refuse_unknown(values, fields)
    obj = model(**values)
    with transaction.atomic():
        _validate(model, obj)
        obj.save()
        obj.feature_definitions.set(_definitions(entity, refs))
        changes = diff({}, {**snapshot(obj, fields), "feature_definitions": _keys(obj)})
        event_record(actor=actor, entity=event_entity, entity_id=obj.pk, action="created", changes=changes)
    return obj


def type_update(
    *,
    actor: Any,
    model: type,
    entity: str,
    event_entity: str,
    fields: tuple[str, ...],
    obj: Any,
    version: int | None,
    changes: dict[str, Any],
) -> Any:
    refuse_unknown(changes, (*fields, "feature_definitions"))
    with transaction.atomic():
        current: Any = lock_current(model, obj.pk, version)
        before = {**snapshot(current, fields), "feature_definitions": _keys(current)}
        refs = changes.pop("feature_definitions", None)
        for name, value in changes.items():
            setattr(current, name, value)
        _validate(model, current)
        if refs is not None:
            current.feature_definitions.set(_definitions(entity, refs))
        changed = diff(before, {**snapshot(current, fields), "feature_definitions": _keys(current)})
        if changed:
            current.version += 1
            current.save()
            event_record(
                actor=actor, entity=event_entity, entity_id=current.pk, action="updated", changes=changed
            )
    return current


CONTRACT_TYPE_FIELDS = ("code", "name", "description", "number_prefix")
INSTALLATION_TYPE_FIELDS = ("code", "name", "description")


def contract_type_create(
    *,
    actor: Any,
    code: str,
    name: str,
    description: str = "",
    number_prefix: str = "",
    feature_definitions: Sequence[DefinitionRef] = (),
) -> Any:
    """A contract type; `feature_definitions` by object, id or key (contract features only)."""
    from servanda.contracts.models import ContractType

    values = {"code": code, "name": name, "description": description, "number_prefix": number_prefix}
    return type_create(
        actor=actor,
        model=ContractType,
        entity=Entity.CONTRACT,
        event_entity="contract_type",
        fields=CONTRACT_TYPE_FIELDS,
        values={**values, "feature_definitions": list(feature_definitions)},
    )


def contract_type_update(*, actor: Any, contract_type: Any, version: int | None, **changes: Any) -> Any:
    from servanda.contracts.models import ContractType

    return type_update(
        actor=actor,
        model=ContractType,
        entity=Entity.CONTRACT,
        event_entity="contract_type",
        fields=CONTRACT_TYPE_FIELDS,
        obj=contract_type,
        version=version,
        changes=dict(changes),
    )


def installation_type_create(
    *,
    actor: Any,
    code: str,
    name: str,
    description: str = "",
    feature_definitions: Sequence[DefinitionRef] = (),
) -> Any:
    from servanda.installations.models import InstallationType

    values = {"code": code, "name": name, "description": description}
    return type_create(
        actor=actor,
        model=InstallationType,
        entity=Entity.INSTALLATION,
        event_entity="installation_type",
        fields=INSTALLATION_TYPE_FIELDS,
        values={**values, "feature_definitions": list(feature_definitions)},
    )


def installation_type_update(
    *, actor: Any, installation_type: Any, version: int | None, **changes: Any
) -> Any:
    from servanda.installations.models import InstallationType

    return type_update(
        actor=actor,
        model=InstallationType,
        entity=Entity.INSTALLATION,
        event_entity="installation_type",
        fields=INSTALLATION_TYPE_FIELDS,
        obj=installation_type,
        version=version,
        changes=dict(changes),
    )


def type_delete(*, actor: Any, model: Any, event_entity: str, fields: tuple[str, ...], obj: Any) -> None:
    """Refused while objects of this type exist: their features are defined through it."""
    with transaction.atomic():
        current: Any = lock_current(model, obj.pk, None, required=False)
        in_use = sum(
            rel.related_model._default_manager.filter(**{rel.field.name: current}).count()
            for rel in model._meta.related_objects
            if rel.one_to_many
        )
        if in_use:
            raise Refused(
                f"{current.name!r} is the type of {in_use} object(s); change or delete those first."
            )
        before = {**snapshot(current, fields), "feature_definitions": _keys(current)}
        pk = current.pk
        current.delete()
        event_record(
            actor=actor, entity=event_entity, entity_id=pk, action="deleted", changes=diff(before, {})
        )


def contract_type_delete(*, actor: Any, contract_type: Any) -> None:
    from servanda.contracts.models import ContractType

    type_delete(
        actor=actor,
        model=ContractType,
        event_entity="contract_type",
        fields=CONTRACT_TYPE_FIELDS,
        obj=contract_type,
    )


def installation_type_delete(*, actor: Any, installation_type: Any) -> None:
    from servanda.installations.models import InstallationType

    type_delete(
        actor=actor,
        model=InstallationType,
        event_entity="installation_type",
        fields=INSTALLATION_TYPE_FIELDS,
        obj=installation_type,
    )
