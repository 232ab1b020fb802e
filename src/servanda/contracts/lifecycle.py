"""Status that follows the calendar: a contract whose last term has ended expires.

Run by `servanda tick` (and after the demo load). Catch-up safe and idempotent: a
contract expires on the first tick after its last day, whenever that tick runs, and
a second run finds nothing to do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from servanda.events.services import event_record_many

from .models import Contract

CHUNK = 5000


def contracts_expire_due(*, actor: Any, today: date) -> int:
    """Active or suspended contracts without a renewal term whose end date lies before `today`.

    A contract with a renewal term renews tacitly and never expires by itself; an
    open-ended one has no end date. The planned-work windows already stop at the end
    date, so no regeneration is needed for the status change itself.
    """
    due = Contract.objects.filter(
        status__in=[Contract.Status.ACTIVE, Contract.Status.SUSPENDED],
        end_date__lt=today,
        renewal_term="",
    )
    with transaction.atomic():
        rows = list(due.values_list("pk", "status"))
        for start in range(0, len(rows), CHUNK):
            ids = [pk for pk, _ in rows[start : start + CHUNK]]
            Contract.objects.filter(pk__in=ids).update(
                status=Contract.Status.EXPIRED, version=F("version") + 1
            )
        event_record_many(
            actor=actor,
            entity="contract",
            action="expired",
            items=[(pk, {"status": {"old": old, "new": Contract.Status.EXPIRED.value}}) for pk, old in rows],
            note=f"last term ended before {today.isoformat()}",
        )
    return len(rows)
