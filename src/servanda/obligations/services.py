"""Writes for obligation templates and obligations; each regenerates what it affects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F

from servanda.contracts.models import Contract, ContractType
from servanda.core.errors import FieldError, ValidationFailed
from servanda.core.versioning import lock_current, refuse_unknown, snapshot
from servanda.events.services import diff, event_record, event_record_many
from servanda.rules.recurrence import Interval, Recurrence, RecurrenceError
from servanda.work.models import WorkItem

from .models import Mode, Obligation, ObligationTemplate, Scope, Unit

PLANNED_FIELDS = (
    "description",
    "responsible_user",
    "responsible_role",
    "scope",
    "interval_unit",
    "interval",
    "rrule",
    "lead_days",
    "estimated_minutes",
    "mode",
)
OBLIGATION_FIELDS = (*PLANNED_FIELDS, "anchor_date", "active")
TEMPLATE_FIELDS = PLANNED_FIELDS
_FK = {"responsible_user": "responsible_user_id", "responsible_role": "responsible_role_id"}


def _assign(obj: Any, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        if name in _FK and (value is None or isinstance(value, int)):
            setattr(obj, _FK[name], value)
        else:
            setattr(obj, name, value)


def _validate(obj: Any) -> None:
    errors: list[FieldError] = []
    if not (obj.description or "").strip():
        errors.append(FieldError("description", "say what has to be done"))
    if obj.scope not in Scope.values:
        errors.append(FieldError("scope", f"one of {', '.join(Scope.values)}"))
    if obj.mode not in Mode.values:
        errors.append(FieldError("mode", f"one of {', '.join(Mode.values)}"))
    if obj.rrule:
        if obj.interval_unit or obj.interval:
            errors.append(FieldError("rrule", "give either an interval or a rule, not both"))
        try:
            Recurrence(rule=obj.rrule)
        except RecurrenceError as exc:
            errors.append(FieldError("rrule", str(exc)))
    else:
        if obj.interval_unit not in Unit.values:
            errors.append(FieldError("interval_unit", f"one of {', '.join(Unit.values)}, or give an rrule"))
        try:
            Interval(obj.interval_unit or "month", obj.interval if obj.interval is not None else 0)
        except RecurrenceError as exc:
            errors.append(FieldError("interval", str(exc)))
    if obj.responsible_user_id is not None and obj.responsible_role_id is not None:
        errors.append(FieldError("responsible_role", "a person or a role is responsible, not both"))
    if errors:
        raise ValidationFailed(errors)


def _regenerate(actor: Any, contract_ids: Iterable[int]) -> None:
    from .generation import schedule_generate, schedule_today

    schedule_generate(today=schedule_today(), contract_ids=list(contract_ids), actor=actor)


# -- templates ---------------------------------------------------------------------


def obligation_template_create(
    *, actor: Any, contract_type: ContractType, **fields: Any
) -> ObligationTemplate:
    refuse_unknown(fields, TEMPLATE_FIELDS)
    with transaction.atomic():
        tpl = ObligationTemplate(contract_type=contract_type)
        _assign(tpl, fields)
        _validate(tpl)
        tpl.save()
        event_record(
            actor=actor,
            entity="obligation_template",
            entity_id=tpl.pk,
            action="created",
            changes=diff({}, snapshot(tpl, ("contract_type", *TEMPLATE_FIELDS))),
        )
    return tpl


def obligation_template_update(
    *, actor: Any, template: ObligationTemplate, version: int | None, **changes: Any
) -> ObligationTemplate:
    """Changes the template only: contracts keep the copies they already have."""
    refuse_unknown(changes, TEMPLATE_FIELDS)
    with transaction.atomic():
        current = lock_current(ObligationTemplate, template.pk, version)
        before = snapshot(current, TEMPLATE_FIELDS)
        _assign(current, changes)
        _validate(current)
        current.version += 1
        current.save()
        event_record(
            actor=actor,
            entity="obligation_template",
            entity_id=current.pk,
            action="updated",
            changes=diff(before, snapshot(current, TEMPLATE_FIELDS)),
        )
    return current


def obligation_template_delete(*, actor: Any, template: ObligationTemplate) -> None:
    with transaction.atomic():
        pk = template.pk
        template.delete()
        event_record(actor=actor, entity="obligation_template", entity_id=pk, action="deleted")


def obligations_copy_from_type(*, actor: Any, contract_ids: Iterable[int]) -> int:
    """Give each contract that has no obligation yet a copy of its type's templates (set-wise).

    Obligations are never deleted (only deactivated), so "has none" means "new".
    """
    ids = list(contract_ids)
    with transaction.atomic():
        pairs = list(
            Contract.objects.filter(id__in=ids, obligations__isnull=True).values_list(
                "id", "contract_type_id"
            )
        )
        if not pairs:
            return 0
        templates: dict[int, list[ObligationTemplate]] = {}
        for tpl in ObligationTemplate.objects.filter(contract_type_id__in={t for _, t in pairs}).order_by(
            "id"
        ):
            templates.setdefault(tpl.contract_type_id, []).append(tpl)
        rows = [
            Obligation(
                contract_id=cid,
                template=tpl,
                **{f: getattr(tpl, f) for f in PLANNED_FIELDS if f not in _FK},
                responsible_user_id=tpl.responsible_user_id,
                responsible_role_id=tpl.responsible_role_id,
            )
            for cid, type_id in pairs
            for tpl in templates.get(type_id, [])
        ]
        created = Obligation.objects.bulk_create(rows, batch_size=2000)
        if created and created[0].pk is not None:
            event_record_many(
                actor=actor,
                entity="obligation",
                action="created",
                items=((o.pk, {"contract": {"old": None, "new": o.contract_id}}) for o in created),
                note="copied from the contract type's templates",
            )
    return len(rows)


# -- obligations ---------------------------------------------------------------------


def obligation_create(*, actor: Any, contract: Contract, **fields: Any) -> Obligation:
    refuse_unknown(fields, OBLIGATION_FIELDS)
    with transaction.atomic():
        obl = Obligation(contract=contract)
        _assign(obl, fields)
        _validate(obl)
        obl.save()
        event_record(
            actor=actor,
            entity="obligation",
            entity_id=obl.pk,
            action="created",
            changes=diff({}, snapshot(obl, ("contract", *OBLIGATION_FIELDS))),
        )
        _regenerate(actor, [contract.pk])
    return obl


def obligation_update(
    *, actor: Any, obligation: Obligation, version: int | None, **changes: Any
) -> Obligation:
    """Change an obligation, then its contract's schedule follows.

    Untouched open items take over the new responsible, effort and lead time; items a
    person moved or reassigned keep theirs (DESIGN convention 10).
    """
    refuse_unknown(changes, OBLIGATION_FIELDS)
    with transaction.atomic():
        current = lock_current(Obligation, obligation.pk, version)
        before = snapshot(current, OBLIGATION_FIELDS)
        _assign(current, changes)
        _validate(current)
        current.version += 1
        # Recomputed in full on the regeneration below.
        current.generated_until = None
        current.save()
        changed = diff(before, snapshot(current, OBLIGATION_FIELDS))
        event_record(
            actor=actor, entity="obligation", entity_id=current.pk, action="updated", changes=changed
        )
        untouched = WorkItem.objects.filter(
            obligation=current, status=WorkItem.Status.OPEN, moved=False, reassigned=False
        )
        if {"responsible_user", "responsible_role"} & set(changed):
            untouched.update(
                assignee_user_id=current.responsible_user_id,
                assignee_role_id=current.responsible_role_id,
                version=F("version") + 1,
            )
        if "estimated_minutes" in changed:
            untouched.update(estimated_minutes=current.estimated_minutes, version=F("version") + 1)
        _regenerate(actor, [current.contract_id])
        if "lead_days" in changed:
            items = list(untouched.only("id", "due_date"))
            for item in items:
                item.visible_from = item.due_date - timedelta(days=current.lead_days)
            WorkItem.objects.bulk_update(items, ["visible_from"], batch_size=2000)
    return current


def obligation_deactivate(*, actor: Any, obligation: Obligation, version: int | None) -> Obligation:
    """What "delete" does: the obligation stops; its untouched future items are cancelled."""
    return obligation_update(actor=actor, obligation=obligation, version=version, active=False)
