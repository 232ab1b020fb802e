"""Writes to contracts: one transaction each, with its event and the obligations hook.

Features are merged as a JSON merge patch on update (a key with null is removed)
unless `replace_features=True`; the whole document is then validated against the
contract type's definitions. `end_date` always holds the inclusive end of the
initial term: computed from the initial term, or the explicit end when there is none.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from servanda.core.errors import FieldError, Refused, ValidationFailed
from servanda.core.versioning import assign, lock_current, refuse_unknown, snapshot
from servanda.events.services import diff, event_record
from servanda.features.kinds import contract_type_create, contract_type_update
from servanda.features.validation import definitions_for_contract_type, validate_feature_values
from servanda.obligations.hooks import contracts_changed
from servanda.rules.durations import DurationError, parse_iso_duration
from servanda.rules.periods import end_inclusive

from .models import Contract, ContractType
from .tree import cycle_path

__all__ = [
    "contract_create",
    "contract_delete",
    "contract_set_parent",
    "contract_terminate",
    "contract_type_create",
    "contract_type_update",
    "contract_update",
]

ENTITY = "contract"
FIELDS = (
    "number",
    "title",
    "contract_type",
    "party",
    "status",
    "commencement_date",
    "initial_term",
    "renewal_term",
    "notice_period",
    "end_date",
    "terminated_on",
    "parent",
    "team",
    "is_placeholder",
    "source",
)
UPDATABLE = (*[f for f in FIELDS if f != "terminated_on"], "features")


def contract_snapshot(contract: Contract) -> dict[str, Any]:
    return snapshot(contract, FIELDS)


def contract_changes(before: Contract | dict | None, after: Contract | None) -> dict[str, dict]:
    """Field-level diff incl. `features.<key>`; None stands for "does not exist"."""
    b = before if isinstance(before, dict) else ({} if before is None else contract_snapshot(before))
    a = {} if after is None else contract_snapshot(after)
    b_features = b.pop("features", None) if isinstance(before, dict) else getattr(before, "features", None)
    changes = diff(b, a)
    changes.update(
        diff(b_features or {}, (after.features if after is not None else {}) or {}, prefix="features.")
    )
    return changes


def _duration(name: str, text: Any, errors: list[FieldError], *, allow_zero: bool) -> str:
    if text is None or not str(text).strip():
        return ""
    try:
        value = parse_iso_duration(str(text))
    except DurationError as exc:
        errors.append(FieldError(name, str(exc)))
        return str(text)
    if value.is_zero and not allow_zero:
        errors.append(FieldError(name, "must be longer than zero (leave empty when not agreed)"))
    return value.iso()


def _refs() -> dict[str, type]:
    from servanda.parties.models import Party

    return {"contract_type": ContractType, "party": Party, "parent": Contract, "team": Group}


def _prepare(
    c: Contract,
    *,
    explicit_end: bool,
    features: dict | None,
    partial_features: bool,
    errors: list[FieldError],
) -> None:
    """Normalize and validate a contract in memory; raises ValidationFailed listing every problem."""

    if not (c.number or "").strip():
        errors.append(FieldError("number", "a contract needs a number"))
    elif Contract.objects.filter(number=c.number).exclude(pk=c.pk).exists():
        errors.append(FieldError("number", f"contract number {c.number!r} is taken"))
    if not (c.title or "").strip():
        errors.append(FieldError("title", "a contract needs a title"))
    if c.contract_type_id is None and not any(e.field == "contract_type" for e in errors):
        errors.append(FieldError("contract_type", "a contract needs a type"))
    if c.status not in Contract.Status.values:
        errors.append(FieldError("status", f"status must be one of {', '.join(Contract.Status.values)}"))
    c.initial_term = _duration("initial_term", c.initial_term, errors, allow_zero=False)
    c.renewal_term = _duration("renewal_term", c.renewal_term, errors, allow_zero=False)
    c.notice_period = _duration("notice_period", c.notice_period, errors, allow_zero=True)
    _prepare_end(c, explicit_end, errors)
    if c.pk and c.parent_id is not None:
        loop = cycle_path(Contract, c.pk, c.parent_id)
        if loop:
            path = " → ".join(str(i) for i in loop)
            errors.append(FieldError("parent", f"this parent would make a cycle ({path})"))
    if c.contract_type_id is not None:
        try:
            if features is not None and partial_features:
                patch = validate_feature_values(
                    definitions=definitions_for_contract_type(c.contract_type), values=features, partial=True
                )
                features = {k: v for k, v in {**(c.features or {}), **patch}.items() if v is not None}
            c.features = validate_feature_values(
                definitions=definitions_for_contract_type(c.contract_type),
                values=c.features if features is None else features,
                apply_defaults=not c.pk,
            )
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors, "; ".join(f"{e.field}: {e.message}" for e in errors))


def _prepare_end(c: Contract, explicit_end: bool, errors: list[FieldError]) -> None:
    if c.initial_term and not any(e.field == "initial_term" for e in errors):
        if c.commencement_date is None:
            errors.append(FieldError("commencement_date", "an initial term needs a commencement date"))
            return
        computed = end_inclusive(c.commencement_date, parse_iso_duration(c.initial_term))
        if explicit_end and c.end_date is not None and c.end_date != computed:
            errors.append(
                FieldError(
                    "end_date",
                    f"give either an initial term or an explicit end date; the initial term ends on {computed}",
                )
            )
        c.end_date = computed
    elif not explicit_end:
        c.end_date = None
    if c.end_date is not None and c.commencement_date is not None and c.end_date < c.commencement_date:
        errors.append(FieldError("end_date", f"ends before the commencement date {c.commencement_date}"))
    if c.renewal_term and not c.initial_term and c.end_date is None:
        errors.append(FieldError("renewal_term", "a renewal needs an initial term or an end date to follow"))


def contract_create(
    *,
    actor: Any,
    number: str,
    title: str,
    contract_type: ContractType | int,
    party: Any = None,
    status: str = Contract.Status.DRAFT,
    commencement_date: date | None = None,
    initial_term: str = "",
    renewal_term: str = "",
    notice_period: str = "",
    end_date: date | None = None,
    parent: Contract | int | None = None,
    features: dict | None = None,
    team: Group | int | None = None,
    is_placeholder: bool = False,
    source: str = "",
) -> Contract:
    """A new contract. `end_date` is explicit only without an initial term (else computed)."""
    c = Contract(
        number=number,
        title=title,
        status=status,
        commencement_date=commencement_date,
        initial_term=initial_term or "",
        renewal_term=renewal_term or "",
        notice_period=notice_period or "",
        end_date=end_date,
        features=features or {},
        is_placeholder=is_placeholder,
        source=source,
    )
    errors: list[FieldError] = []
    refs = {"contract_type": contract_type, "party": party, "parent": parent, "team": team}
    with transaction.atomic():
        assign(c, refs, _refs(), errors)
        _prepare(c, explicit_end=end_date is not None, features=None, partial_features=False, errors=errors)
        c.save()
        event_record(
            actor=actor, entity=ENTITY, entity_id=c.pk, action="created", changes=contract_changes(None, c)
        )
        contracts_changed(actor=actor, contract_ids=[c.pk])
    return c


def contract_update(
    *, actor: Any, contract: Contract, version: int | None, replace_features: bool = False, **changes: Any
) -> Contract:
    """Change the fields given; `version` is the one the caller read (stale → VersionConflict)."""
    refuse_unknown(changes, UPDATABLE)
    with transaction.atomic():
        current = lock_current(Contract, contract.pk, version)
        before = {**contract_snapshot(current), "features": dict(current.features or {})}
        features = changes.pop("features", None)
        if features is not None and not isinstance(features, dict):
            raise ValidationFailed.one("features", "features must be an object keyed by feature key")
        status = changes.get("status", before["status"])
        if status == Contract.Status.TERMINATED and before["status"] != Contract.Status.TERMINATED:
            raise ValidationFailed.one(
                "status", "terminate a contract with its termination date (contract_terminate)"
            )
        errors: list[FieldError] = []
        assign(current, changes, _refs(), errors)
        if status != Contract.Status.TERMINATED:
            current.terminated_on = None  # reinstated: the termination no longer cuts the term
        # An explicit end stays explicit while there is no initial term; a computed one follows the term.
        explicit_end = "end_date" in changes or (
            not before["initial_term"] and not (current.initial_term or "").strip()
        )
        _prepare(
            current,
            explicit_end=explicit_end,
            features=features,
            partial_features=not replace_features,
            errors=errors,
        )
        changed = contract_changes(before, current)
        if changed:
            current.version += 1
            current.save()
            event_record(actor=actor, entity=ENTITY, entity_id=current.pk, action="updated", changes=changed)
            contracts_changed(actor=actor, contract_ids=[current.pk])
    return current


def contract_set_parent(
    *, actor: Any, contract: Contract, version: int | None, parent: Contract | int | None
) -> Contract:
    """Move a contract under another one (None: make it a root); a cycle is refused."""
    return contract_update(actor=actor, contract=contract, version=version, parent=parent)


def contract_terminate(*, actor: Any, contract: Contract, version: int | None, on: date) -> Contract:
    """Terminated with `on` as its last day; coverage past that day ends with it."""
    from servanda.installations.coverage import coverages_cut_after

    with transaction.atomic():
        current = lock_current(Contract, contract.pk, version)
        if current.status == Contract.Status.TERMINATED:
            raise Refused(f"Contract {current.number} was already terminated on {current.terminated_on}.")
        if current.commencement_date is not None and on < current.commencement_date:
            raise ValidationFailed.one("on", f"before the commencement date {current.commencement_date}")
        before = contract_snapshot(current)
        current.status = Contract.Status.TERMINATED
        current.terminated_on = on
        current.version += 1
        current.save()
        event_record(
            actor=actor,
            entity=ENTITY,
            entity_id=current.pk,
            action="terminated",
            changes=diff(before, contract_snapshot(current)),
        )
        coverages_cut_after(actor=actor, contract_id=current.pk, last_day=on)
        contracts_changed(actor=actor, contract_ids=[current.pk])
    return current


def contract_delete(
    *, actor: Any, contract: Contract, version: int | None = None, reparent_children: bool = False
) -> None:
    """Delete a contract. With sub-contracts: refused naming them, or (explicitly) they move to its parent."""
    from servanda.events.services import event_record_many

    with transaction.atomic():
        current = lock_current(Contract, contract.pk, version, required=False)
        children = list(Contract.objects.select_for_update().filter(parent_id=current.pk).order_by("number"))
        if children and not reparent_children:
            names = ", ".join(c.number for c in children)
            raise Refused(
                f"Contract {current.number} has {len(children)} sub-contract(s): {names}. "
                "Move or delete them first, or delete with re-parenting to move them up."
            )
        n_cov = current.coverages.count()
        if n_cov:
            raise Refused(f"Contract {current.number} has {n_cov} coverage period(s); delete them first.")
        if children:
            new_parent = current.parent_id
            for child in children:
                child.parent_id = new_parent
                child.version += 1
            Contract.objects.bulk_update(children, ["parent", "version"])
            event_record_many(
                actor=actor,
                entity=ENTITY,
                action="updated",
                items=[(c.pk, {"parent": {"old": current.pk, "new": new_parent}}) for c in children],
                note=f"moved up: parent {current.number} was deleted",
            )
        changes = contract_changes({**contract_snapshot(current), "features": current.features}, None)
        pk = current.pk
        try:
            current.delete()
        except (ProtectedError, RestrictedError) as exc:
            blocking: Any = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
            raise Refused(
                f"Contract {current.number} is still referred to by {len(blocking)} object(s)."
            ) from None
        event_record(actor=actor, entity=ENTITY, entity_id=pk, action="deleted", changes=changes)
        contracts_changed(actor=actor, contract_ids=[pk, *(c.pk for c in children)])
