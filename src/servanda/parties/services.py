"""Writes to parties: one transaction each, with its event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from servanda.core.errors import FieldError, Refused, ValidationFailed
from servanda.core.versioning import assign, lock_current, refuse_unknown, snapshot
from servanda.events.services import diff, event_record

from .models import Party

ENTITY = "party"
FIELDS = (
    "name",
    "kind",
    "reference",
    "birth_date",
    "email",
    "phone",
    "address",
    "city",
    "country",
    "team",
)


def _validate(party: Party, errors: list[FieldError]) -> None:
    if not (party.name or "").strip():
        errors.append(FieldError("name", "a party needs a name"))
    if party.kind not in Party.Kind.values:
        errors.append(FieldError("kind", f"kind must be one of {', '.join(Party.Kind.values)}"))
    if party.reference == "":
        party.reference = None
    if party.reference and Party.objects.filter(reference=party.reference).exclude(pk=party.pk).exists():
        errors.append(FieldError("reference", f"another party already has reference {party.reference!r}"))
    if party.country and len(party.country) != 2:
        errors.append(FieldError("country", "use a two-letter country code such as NL"))
    if party.birth_date is not None and not isinstance(party.birth_date, date):
        errors.append(FieldError("birth_date", "a date as YYYY-MM-DD"))
    if errors:
        raise ValidationFailed(errors)


def party_create(
    *,
    actor: Any,
    name: str,
    kind: str = Party.Kind.ORGANISATION,
    reference: str | None = None,
    birth_date: date | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
    city: str = "",
    country: str = "",
    team: Group | int | None = None,
) -> Party:
    party = Party(
        name=name,
        kind=kind,
        reference=reference,
        birth_date=birth_date,
        email=email,
        phone=phone,
        address=address,
        city=city,
        country=(country or "").upper(),
    )
    errors: list[FieldError] = []
    with transaction.atomic():
        assign(party, {"team": team}, {"team": Group}, errors)
        _validate(party, errors)
        party.save()
        event_record(
            actor=actor,
            entity=ENTITY,
            entity_id=party.pk,
            action="created",
            changes=diff({}, snapshot(party, FIELDS)),
        )
    return party


def party_update(*, actor: Any, party: Party, version: int | None, **changes: Any) -> Party:
    refuse_unknown(changes, FIELDS)
    with transaction.atomic():
        current = lock_current(Party, party.pk, version)
        before = snapshot(current, FIELDS)
        errors: list[FieldError] = []
        if changes.get("country"):
            changes["country"] = str(changes["country"]).upper()
        assign(current, changes, {"team": Group}, errors)
        _validate(current, errors)
        changed = diff(before, snapshot(current, FIELDS))
        if changed:
            current.version += 1
            current.save()
            event_record(actor=actor, entity=ENTITY, entity_id=current.pk, action="updated", changes=changed)
    return current


def party_delete(*, actor: Any, party: Party, version: int | None = None) -> None:
    """Refused while contracts or installations refer to the party."""
    with transaction.atomic():
        current = lock_current(Party, party.pk, version, required=False)
        n_contracts = current.contracts.count()
        n_installations = current.installations.count()
        if n_contracts or n_installations:
            raise Refused(
                f"Party {current.name!r} is referred to by {n_contracts} contract(s) and "
                f"{n_installations} installation(s); change those first."
            )
        before = snapshot(current, FIELDS)
        pk = current.pk
        current.delete()
        event_record(actor=actor, entity=ENTITY, entity_id=pk, action="deleted", changes=diff(before, {}))
