"""Coverage writes: an installation covered by a contract over a period.

Inputs and outputs use the inclusive `end`; storage is half-open `end_excl`
(DESIGN convention 2). The same contract–installation pair never overlaps itself:
the check is `rules.periods.overlaps` written as a query, under a lock on the
installation row so two writers cannot both pass it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from servanda.contracts.models import Contract
from servanda.core.errors import FieldError, ValidationFailed
from servanda.core.versioning import lock_current, refuse_unknown
from servanda.events.services import diff, event_record, event_record_many
from servanda.obligations.hooks import contracts_changed
from servanda.rules.periods import ONE_DAY, Period

from .models import Coverage, Installation

ENTITY = "coverage"


def overlapping(qs: QuerySet[Coverage], start: date, end_excl: date | None) -> QuerySet[Coverage]:
    """Rows of `qs` overlapping `[start, end_excl)`: a.start < b.end_excl and b.start < a.end_excl."""
    qs = qs.filter(Q(end_excl__isnull=True) | Q(end_excl__gt=start))
    return qs if end_excl is None else qs.filter(start__lt=end_excl)


def coverage_view(c: Coverage) -> dict[str, Any]:
    """What the event log and the API show: the inclusive end."""
    return {
        "contract": c.contract_id,
        "installation": c.installation_id,
        "start": c.start,
        "end": None if c.end_excl is None else c.end_excl - ONE_DAY,
        "note": c.note,
    }


def _check(c: Coverage) -> None:
    errors: list[FieldError] = []
    if not isinstance(c.start, date):
        errors.append(FieldError("start", "a coverage needs a start date"))
    elif c.end_excl is not None and c.end_excl <= c.start:
        errors.append(FieldError("end", f"ends before it starts ({c.end_excl - ONE_DAY} < {c.start})"))
    if errors:
        raise ValidationFailed(errors)
    # Lock the installation: coverage writes for one installation queue up behind each other.
    list(Installation.objects.select_for_update().filter(pk=c.installation_id).values_list("pk"))
    clash = (
        overlapping(
            Coverage.objects.filter(contract_id=c.contract_id, installation_id=c.installation_id),
            c.start,
            c.end_excl,
        )
        .exclude(pk=c.pk)
        .first()
    )
    if clash is not None:
        period = Period(clash.start, clash.end_excl)
        shown = f"{period.start} – {period.end or 'open-ended'}"
        raise ValidationFailed.one(
            "start", f"this contract already covers this installation from {shown}; the periods would overlap"
        )


def _id(value: Any) -> int:
    return value.pk if hasattr(value, "pk") else int(value)


def coverage_create(
    *,
    actor: Any,
    contract: Contract | int,
    installation: Installation | int,
    start: date,
    end: date | None = None,
    note: str = "",
) -> Coverage:
    """Cover `installation` by `contract` from `start` to `end` inclusive (None: open-ended)."""
    c = Coverage(
        contract_id=_id(contract),
        installation_id=_id(installation),
        start=start,
        end_excl=None if end is None else end + ONE_DAY,
        note=note,
    )
    with transaction.atomic():
        if not Contract.objects.filter(pk=c.contract_id).exists():
            raise ValidationFailed.one("contract", f"no contract with id {c.contract_id}")
        if not Installation.objects.filter(pk=c.installation_id).exists():
            raise ValidationFailed.one("installation", f"no installation with id {c.installation_id}")
        _check(c)
        c.save()
        event_record(
            actor=actor, entity=ENTITY, entity_id=c.pk, action="created", changes=diff({}, coverage_view(c))
        )
        contracts_changed(actor=actor, contract_ids=[c.contract_id])
    return c


def coverage_update(*, actor: Any, coverage: Coverage, version: int | None, **changes: Any) -> Coverage:
    """Change `start`, inclusive `end` (None: open-ended) or `note`."""
    refuse_unknown(changes, ("start", "end", "note"))
    with transaction.atomic():
        current = lock_current(Coverage, coverage.pk, version)
        before = coverage_view(current)
        if "start" in changes:
            current.start = changes["start"]
        if "end" in changes:
            current.end_excl = None if changes["end"] is None else changes["end"] + ONE_DAY
        if "note" in changes:
            current.note = changes["note"] or ""
        _check(current)
        changed = diff(before, coverage_view(current))
        if changed:
            current.version += 1
            current.save()
            event_record(actor=actor, entity=ENTITY, entity_id=current.pk, action="updated", changes=changed)
            contracts_changed(actor=actor, contract_ids=[current.contract_id])
    return current


def coverage_end(*, actor: Any, coverage: Coverage, version: int | None, end: date) -> Coverage:
    """End a coverage with `end` as its last covered day."""
    return coverage_update(actor=actor, coverage=coverage, version=version, end=end)


def coverage_delete(*, actor: Any, coverage: Coverage, version: int | None = None) -> None:
    with transaction.atomic():
        current = lock_current(Coverage, coverage.pk, version, required=False)
        before = coverage_view(current)
        pk, contract_id = current.pk, current.contract_id
        current.delete()
        event_record(actor=actor, entity=ENTITY, entity_id=pk, action="deleted", changes=diff(before, {}))
        contracts_changed(actor=actor, contract_ids=[contract_id])


def coverages_cut_after(*, actor: Any, contract_id: int, last_day: date) -> int:
    """Set-wise: coverage of this contract ends by `last_day`; periods starting later are removed."""
    limit = last_day + ONE_DAY
    later = list(Coverage.objects.filter(contract_id=contract_id, start__gte=limit))
    running = list(
        Coverage.objects.filter(contract_id=contract_id, start__lt=limit).filter(
            Q(end_excl__isnull=True) | Q(end_excl__gt=limit)
        )
    )
    note = f"contract terminated; last day {last_day}"
    items = []
    for c in running:
        before = coverage_view(c)
        c.end_excl = limit
        c.version += 1
        items.append((c.pk, diff(before, coverage_view(c))))
    Coverage.objects.bulk_update(running, ["end_excl", "version"])
    event_record_many(actor=actor, entity=ENTITY, action="updated", items=items, note=note)
    event_record_many(
        actor=actor,
        entity=ENTITY,
        action="deleted",
        items=[(c.pk, diff(coverage_view(c), {})) for c in later],
        note=note,
    )
    Coverage.objects.filter(pk__in=[c.pk for c in later]).delete()
    return len(running) + len(later)
