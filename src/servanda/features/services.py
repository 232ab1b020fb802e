"""Writes to feature definitions and their characteristics, contract and installation types.

Characteristic changes are recorded on their definition (entity `feature_definition`,
fields `characteristics.<code>`) and bump its version, so a definition's history
tells the whole story.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from servanda.core.errors import FieldError, Refused, ValidationFailed
from servanda.core.versioning import lock_current, refuse_unknown, snapshot
from servanda.events.services import diff, event_record
from servanda.rules.featurevalues import FeatureSpec, FeatureValueError, check_value

from .models import Characteristic, DataType, Entity, FeatureDefinition
from .query import (
    KEY_PATTERN,
    any_feature_q,
    entity_model,
    feature_filter,
    feature_index_drop,
    feature_index_ensure,
)
from .validation import spec_of

ENTITY = "feature_definition"
FIELDS = (
    "entity",
    "key",
    "label",
    "data_type",
    "unit",
    "required",
    "default",
    "reference_entity",
    "help_text",
    "position",
    "indexed",
)
CHOICE_TYPES = {DataType.CHOICE, DataType.MULTI_CHOICE}


def _values_exist(definition: FeatureDefinition, key: str | None = None) -> int:
    model = entity_model(definition.entity)
    if model is None:
        return 0
    return any_feature_q(model._default_manager.all(), key or definition.key).count()


def _validate(d: FeatureDefinition) -> None:
    errors: list[FieldError] = []
    if d.entity not in Entity.values:
        errors.append(FieldError("entity", f"entity must be one of {', '.join(Entity.values)}"))
    if not KEY_PATTERN.match(d.key or ""):
        errors.append(FieldError("key", "a key uses letters, digits, '-' and '_' only (at most 60)"))
    elif FeatureDefinition.objects.filter(entity=d.entity, key=d.key).exclude(pk=d.pk).exists():
        errors.append(FieldError("key", f"{d.entity} feature {d.key!r} already exists"))
    if not (d.label or "").strip():
        errors.append(FieldError("label", "a feature needs a label"))
    if d.data_type not in DataType.values:
        errors.append(FieldError("data_type", f"data type must be one of {', '.join(DataType.values)}"))
    if d.data_type == DataType.REFERENCE:
        if d.reference_entity not in Entity.values:
            errors.append(FieldError("reference_entity", "a reference feature names the entity it points at"))
    elif d.reference_entity:
        errors.append(FieldError("reference_entity", "only reference features point at an entity"))
    if d.default is not None and not errors:
        try:
            d.default = check_value(spec_of(d) if d.pk else _spec_unsaved(d), d.default)
        except FeatureValueError as exc:
            errors.append(FieldError("default", str(exc)))
    if errors:
        raise ValidationFailed(errors)


def _spec_unsaved(d: FeatureDefinition, codes: Iterable[str] = ()) -> FeatureSpec:
    return FeatureSpec(d.key, d.label, d.data_type, d.required, d.default, tuple(codes), d.reference_entity)


def _characteristic_rows(definition: FeatureDefinition, items: Iterable[Any]) -> list[Characteristic]:
    rows: list[Characteristic] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        code, label = (item["code"], item.get("label") or item["code"]) if isinstance(item, Mapping) else item
        if not code or not isinstance(code, str):
            raise ValidationFailed.one(f"characteristics.{i}", "a characteristic needs a code")
        if code in seen:
            raise ValidationFailed.one(f"characteristics.{code}", f"code {code!r} is listed twice")
        seen.add(code)
        rows.append(Characteristic(definition=definition, code=code, label=label, position=i))
    return rows


def feature_definition_create(
    *,
    actor: Any,
    entity: str,
    key: str,
    label: str,
    data_type: str,
    unit: str = "",
    required: bool = False,
    default: Any = None,
    reference_entity: str = "",
    help_text: str = "",
    position: int = 0,
    indexed: bool = True,
    characteristics: Sequence[Mapping[str, str] | tuple[str, str]] = (),
) -> FeatureDefinition:
    """A new definition; choice types get their characteristics (code, label) in order."""
    d = FeatureDefinition(
        entity=entity,
        key=key,
        label=label,
        data_type=data_type,
        unit=unit,
        required=required,
        default=default,
        reference_entity=reference_entity,
        help_text=help_text,
        position=position,
        indexed=indexed,
    )
    if characteristics and data_type not in CHOICE_TYPES:
        raise ValidationFailed.one("characteristics", "only choice features have characteristics")
    with transaction.atomic():
        default_value, d.default = d.default, None
        _validate(d)
        d.save()
        rows = _characteristic_rows(d, characteristics)
        Characteristic.objects.bulk_create(rows)
        d.default = default_value
        if d.default is not None:
            try:
                d.default = check_value(_spec_unsaved(d, [r.code for r in rows]), d.default)
            except FeatureValueError as exc:
                raise ValidationFailed.one("default", str(exc)) from None
            d.save(update_fields=["default"])
        changes = diff({}, snapshot(d, FIELDS))
        changes.update(diff({}, {r.code: r.label for r in rows}, prefix="characteristics."))
        event_record(actor=actor, entity=ENTITY, entity_id=d.pk, action="created", changes=changes)
        feature_index_ensure(d)
    return d


def feature_definition_update(
    *, actor: Any, definition: FeatureDefinition, version: int | None, **changes: Any
) -> FeatureDefinition:
    """Change a definition. Entity, key and data type are fixed once values exist."""
    refuse_unknown(changes, set(FIELDS))
    with transaction.atomic():
        current = lock_current(FeatureDefinition, definition.pk, version)
        before = snapshot(current, FIELDS)
        old = FeatureDefinition(**{f: before[f] for f in ("entity", "key", "data_type", "indexed")})
        for name, value in changes.items():
            setattr(current, name, value)
        structural = [f for f in ("entity", "key", "data_type") if getattr(current, f) != before[f]]
        if structural:
            in_use = _values_exist(old)
            if in_use:
                raise Refused(
                    f"{before['entity']} feature {before['key']!r} has values on {in_use} object(s); "
                    f"its {' and '.join(structural)} cannot change."
                )
            if before["data_type"] in CHOICE_TYPES and current.data_type not in CHOICE_TYPES:
                current.characteristics.all().delete()
        _validate(current)
        changed = diff(before, snapshot(current, FIELDS))
        if changed:
            current.version += 1
            current.save()
            event_record(actor=actor, entity=ENTITY, entity_id=current.pk, action="updated", changes=changed)
            if structural or not current.indexed:
                feature_index_drop(old)
            feature_index_ensure(current)
    return current


def feature_definition_delete(
    *, actor: Any, definition: FeatureDefinition, version: int | None = None
) -> None:
    """Refused while any object holds a value for it."""
    with transaction.atomic():
        current = lock_current(FeatureDefinition, definition.pk, version, required=False)
        in_use = _values_exist(current)
        if in_use:
            raise Refused(
                f"{current.entity} feature {current.key!r} has values on {in_use} object(s); remove them first."
            )
        before = snapshot(current, FIELDS)
        before_chars = {c.code: c.label for c in current.characteristics.all()}
        pk = current.pk
        feature_index_drop(current)
        current.delete()
        changes = diff(before, {})
        changes.update(diff(before_chars, {}, prefix="characteristics."))
        event_record(actor=actor, entity=ENTITY, entity_id=pk, action="deleted", changes=changes)


def _code_in_use(definition: FeatureDefinition, code: str) -> int:
    model = entity_model(definition.entity)
    if model is None:
        return 0
    op = "has" if definition.data_type == DataType.MULTI_CHOICE else "eq"
    return feature_filter(model._default_manager.all(), definition=definition, op=op, value=code).count()


def _touch(definition: FeatureDefinition, version: int | None) -> FeatureDefinition:
    current = lock_current(FeatureDefinition, definition.pk, version, required=False)
    if current.data_type not in CHOICE_TYPES:
        raise ValidationFailed.one("characteristics", f"{current.key} is not a choice feature")
    return current


def _bump(actor: Any, definition: FeatureDefinition, action: str, changes: dict) -> None:
    definition.version += 1
    definition.save(update_fields=["version", "updated_at"])
    event_record(actor=actor, entity=ENTITY, entity_id=definition.pk, action=action, changes=changes)


def characteristic_add(
    *,
    actor: Any,
    definition: FeatureDefinition,
    code: str,
    label: str,
    position: int | None = None,
    version: int | None = None,
) -> Characteristic:
    with transaction.atomic():
        current = _touch(definition, version)
        if not code or not isinstance(code, str) or len(code) > 60:
            raise ValidationFailed.one("code", "a characteristic needs a code of at most 60 characters")
        if current.characteristics.filter(code=code).exists():
            raise ValidationFailed.one("code", f"{current.key} already has characteristic {code!r}")
        if position is None:
            position = current.characteristics.count()
        row = Characteristic.objects.create(
            definition=current, code=code, label=label or code, position=position
        )
        _bump(
            actor,
            current,
            "characteristic added",
            {f"characteristics.{code}": {"old": None, "new": row.label}},
        )
    return row


def characteristic_update(
    *,
    actor: Any,
    characteristic: Characteristic,
    label: str | None = None,
    position: int | None = None,
    code: str | None = None,
    version: int | None = None,
) -> Characteristic:
    """Relabel or move a characteristic; its code changes only while no value uses it."""
    with transaction.atomic():
        current = _touch(characteristic.definition, version)
        row = Characteristic.objects.select_for_update().get(pk=characteristic.pk)
        before = {row.code: row.label}
        if code is not None and code != row.code:
            in_use = _code_in_use(current, row.code)
            if in_use:
                raise Refused(
                    f"characteristic {row.code!r} is used by {in_use} object(s); its code cannot change"
                )
            if current.characteristics.filter(code=code).exists():
                raise ValidationFailed.one("code", f"{current.key} already has characteristic {code!r}")
            row.code = code
        if label is not None:
            row.label = label
        if position is not None:
            row.position = position
        row.save()
        changes = diff(before, {row.code: row.label}, prefix="characteristics.")
        if changes:
            _bump(actor, current, "characteristic changed", changes)
    return row


def characteristic_remove(*, actor: Any, characteristic: Characteristic, version: int | None = None) -> None:
    """Refused while any object's value uses the code."""
    with transaction.atomic():
        current = _touch(characteristic.definition, version)
        in_use = _code_in_use(current, characteristic.code)
        if in_use:
            raise Refused(
                f"characteristic {characteristic.code!r} of {current.key} is used by {in_use} object(s); "
                "change those values first."
            )
        Characteristic.objects.filter(pk=characteristic.pk).delete()
        _bump(
            actor,
            current,
            "characteristic removed",
            {f"characteristics.{characteristic.code}": {"old": characteristic.label, "new": None}},
        )
