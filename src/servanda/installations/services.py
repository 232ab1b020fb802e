"""Writes to installations (and re-exports of coverage and installation-type writes).

Features are merged like contracts' (null removes a key) unless `replace_features=True`,
and validated against the installation type's definitions — or, for an installation
without a type, against every installation feature definition.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from servanda.contracts.tree import cycle_path
from servanda.core.errors import FieldError, Refused, ValidationFailed
from servanda.core.versioning import assign, lock_current, refuse_unknown, snapshot
from servanda.events.services import diff, event_record
from servanda.features.kinds import installation_type_create, installation_type_update
from servanda.features.validation import definitions_for_installation_type, validate_feature_values

from .coverage import coverage_create, coverage_delete, coverage_end, coverage_update
from .models import Installation, InstallationType

__all__ = [
    "coverage_create",
    "coverage_delete",
    "coverage_end",
    "coverage_update",
    "installation_create",
    "installation_delete",
    "installation_type_create",
    "installation_type_update",
    "installation_update",
]

ENTITY = "installation"
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
    "source",
)


def _changes(before: dict | None, after: Installation | None) -> dict[str, dict]:
    b = dict(before or {})
    b_features = b.pop("features", None) or {}
    a = {} if after is None else snapshot(after, FIELDS)
    changes = diff(b, a)
    changes.update(diff(b_features, (after.features if after is not None else {}) or {}, prefix="features."))
    return changes


def _refs() -> dict[str, type]:
    from servanda.parties.models import Party

    return {"installation_type": InstallationType, "owner": Party, "parent": Installation, "team": Group}


def _prepare(
    i: Installation, *, features: dict | None, partial_features: bool, errors: list[FieldError]
) -> None:

    if not (i.serial_number or "").strip():
        errors.append(FieldError("serial_number", "an installation needs a serial number"))
    elif Installation.objects.filter(serial_number=i.serial_number).exclude(pk=i.pk).exists():
        errors.append(FieldError("serial_number", f"serial number {i.serial_number!r} is taken"))
    if i.status not in Installation.Status.values:
        errors.append(FieldError("status", f"status must be one of {', '.join(Installation.Status.values)}"))
    if i.pk and i.parent_id is not None:
        loop = cycle_path(Installation, i.pk, i.parent_id)
        if loop:
            errors.append(
                FieldError("parent", f"this parent would make a cycle ({' → '.join(map(str, loop))})")
            )
    definitions = definitions_for_installation_type(i.installation_type)
    try:
        if features is not None and partial_features:
            patch = validate_feature_values(definitions=definitions, values=features, partial=True)
            features = {k: v for k, v in {**(i.features or {}), **patch}.items() if v is not None}
        i.features = validate_feature_values(
            definitions=definitions,
            values=i.features if features is None else features,
            apply_defaults=not i.pk,
        )
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors, "; ".join(f"{e.field}: {e.message}" for e in errors))


def installation_create(
    *,
    actor: Any,
    serial_number: str,
    product: str = "",
    model: str = "",
    installation_type: InstallationType | int | None = None,
    owner: Any = None,
    site: str = "",
    installed_on: date | None = None,
    status: str = Installation.Status.ACTIVE,
    parent: Installation | int | None = None,
    features: dict | None = None,
    team: Group | int | None = None,
    source: str = "",
) -> Installation:
    i = Installation(
        serial_number=serial_number,
        product=product,
        model=model,
        site=site,
        installed_on=installed_on,
        status=status,
        features=features or {},
        source=source,
    )
    errors: list[FieldError] = []
    refs = {"installation_type": installation_type, "owner": owner, "parent": parent, "team": team}
    with transaction.atomic():
        assign(i, refs, _refs(), errors)
        _prepare(i, features=None, partial_features=False, errors=errors)
        i.save()
        event_record(actor=actor, entity=ENTITY, entity_id=i.pk, action="created", changes=_changes(None, i))
    return i


def installation_update(
    *,
    actor: Any,
    installation: Installation,
    version: int | None,
    replace_features: bool = False,
    **changes: Any,
) -> Installation:
    refuse_unknown(changes, (*FIELDS, "features"))
    with transaction.atomic():
        current = lock_current(Installation, installation.pk, version)
        before = {**snapshot(current, FIELDS), "features": dict(current.features or {})}
        features = changes.pop("features", None)
        if features is not None and not isinstance(features, dict):
            raise ValidationFailed.one("features", "features must be an object keyed by feature key")
        errors: list[FieldError] = []
        assign(current, changes, _refs(), errors)
        _prepare(current, features=features, partial_features=not replace_features, errors=errors)
        changed = _changes(before, current)
        if changed:
            current.version += 1
            current.save()
            event_record(actor=actor, entity=ENTITY, entity_id=current.pk, action="updated", changes=changed)
    return current


def installation_delete(*, actor: Any, installation: Installation, version: int | None = None) -> None:
    """Refused while it has modules or coverage (history is kept, never silently dropped)."""
    with transaction.atomic():
        current = lock_current(Installation, installation.pk, version, required=False)
        modules = list(current.modules.order_by("serial_number").values_list("serial_number", flat=True))
        if modules:
            raise Refused(
                f"Installation {current.serial_number} has modules: {', '.join(modules)}; move them first."
            )
        n_cov = current.coverages.count()
        if n_cov:
            raise Refused(
                f"Installation {current.serial_number} has {n_cov} coverage period(s); delete them first."
            )
        changes = _changes({**snapshot(current, FIELDS), "features": current.features}, None)
        pk = current.pk
        try:
            current.delete()
        except (ProtectedError, RestrictedError):
            raise Refused(f"Installation {current.serial_number} is still referred to.") from None
        event_record(actor=actor, entity=ENTITY, entity_id=pk, action="deleted", changes=changes)
