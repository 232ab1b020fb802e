"""Notice-deadline reminders: one work item per contract term, before its notice deadline.

Terms and deadlines come from `servanda.rules.renewal` (DESIGN convention 5). The item
is due `NOTICE_REMINDER_LEAD_DAYS` before the deadline (renewal-2: deadline 2021-06-26,
21 days' lead → due 2021-06-05); its occurrence date is the deadline itself.

Which terms get one: the term whose notice deadline is the next one on or after
`today` — and, once a contract has a reminder, every term since its last one, so a
tick after downtime misses none. When a deadline passes without notice the contract
renews tacitly and the next term's reminder appears. A contract seen for the first
time gets none for deadlines already gone: notice can no longer be given for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone

from servanda.contracts.models import Contract
from servanda.events.services import event_record_many
from servanda.rules.renewal import Terms, notice_deadline_for, term, term_number_on
from servanda.work.models import Role, WorkItem

from .occurrences import WorkItemRows
from .windows import terms_of

WATCHED_STATUSES = ("active", "suspended")
FIELDS = (
    "id",
    "number",
    "title",
    "team_id",
    "status",
    "commencement_date",
    "initial_term",
    "renewal_term",
    "notice_period",
    "end_date",
    "terminated_on",
)


@dataclass
class NoticeResult:
    created: int = 0
    cancelled: int = 0


def notice_lead_days() -> int:
    return int(settings.SERVANDA.get("NOTICE_REMINDER_LEAD_DAYS", 30))


def notice_key(contract_id: int, term_start: date) -> str:
    return f"notice:{contract_id}:term:{term_start.isoformat()}"


def deadlines_to_remind(terms: Terms, today: date, last_reminded: date | None) -> list[tuple[date, date]]:
    """(term start, notice deadline) pairs that need a reminder, oldest first."""
    if terms.notice_period is None or terms.open_ended or terms.terminated_on is not None:
        return []
    k = term_number_on(terms, today)
    renews = terms.renewal_term is not None
    out: list[tuple[date, date]] = []
    while k is not None:
        period = term(terms, k)
        if period.end is None:
            return out
        deadline = notice_deadline_for(period.end, terms.notice_period)
        if deadline >= today:
            out.append((period.start, deadline))
            break
        if not renews:
            return out
        k += 1
    if k is None or not out:
        return out
    # Catch up the terms since the last reminder (downtime), never before it.
    back = k - 1
    while last_reminded is not None and back >= 0:
        period = term(terms, back)
        assert period.end is not None
        deadline = notice_deadline_for(period.end, terms.notice_period)
        if deadline <= last_reminded:
            break
        out.insert(0, (period.start, deadline))
        back -= 1
    return out


def _notice_roles() -> dict[int | None, int]:
    roles: dict[int | None, int] = {}
    for team_id, role_id in (
        Role.objects.filter(receives_notice_reminders=True).order_by("id").values_list("team_id", "id")
    ):
        roles.setdefault(team_id, role_id)
    return roles


def notices_generate(
    *, today: date, contract_ids: list[int] | None, actor: Any, created_ids: Iterable[int] = ()
) -> NoticeResult:
    """Insert missing reminders; for `contract_ids` (a change) also cancel moot open ones.

    `created_ids`: contracts created in this same transaction. They cannot have any
    reminder yet, so the look-ups for existing ones are skipped for them (an import
    of 100,000 new contracts would otherwise query for 100,000 keys that never exist).
    """
    result = NoticeResult()
    fresh = set(created_ids)
    notice_items = WorkItem.objects.filter(kind=WorkItem.Kind.NOTICE)
    qs = Contract.objects.exclude(notice_period="").filter(status__in=WATCHED_STATUSES)
    if contract_ids is not None:
        qs = qs.filter(id__in=contract_ids)
    else:
        # A contract that already has its upcoming reminder needs nothing: skip it in SQL.
        qs = qs.exclude(Exists(notice_items.filter(contract_id=OuterRef("pk"), occurrence_date__gte=today)))
    rows = list(qs.values(*FIELDS))
    last: dict[int, date] = {}
    for part in _parts([r["id"] for r in rows if r["id"] not in fresh]):
        last.update(
            notice_items.filter(contract_id__in=part)
            .values("contract_id")
            .annotate(m=Max("occurrence_date"))
            .values_list("contract_id", "m")
        )
    roles = _notice_roles()
    lead = timedelta(days=notice_lead_days())
    writer = WorkItemRows()
    day = writer.day
    wanted: dict[str, tuple] = {}
    known: list[str] = []  # keys of contracts that may already have them
    for row in rows:
        terms = terms_of(row, prefix="")
        if terms is None:
            continue
        cid = row["id"]
        for term_start, deadline in deadlines_to_remind(terms, today, last.get(cid)):
            key = notice_key(cid, term_start)
            due = day(deadline - lead)
            if cid not in fresh:
                known.append(key)
            # In WorkItemRows.COLUMNS order.
            wanted[key] = (
                1,
                writer.now,
                writer.now,
                f"Notice deadline {deadline.isoformat()}: {row['number']} {row['title']}"[:500],
                WorkItem.Kind.NOTICE.value,
                key,
                None,
                cid,
                None,
                day(deadline),
                f"Last day to give notice for the term starting {term_start.isoformat()}",
                due,
                due,
                WorkItem.Status.OPEN.value,
                None,
                roles.get(row["team_id"], roles.get(None)),
                None,
                "",
                False,
                False,
                False,
            )
    have: set[str] = set()
    for part in _parts(known):
        have.update(k for k in WorkItem.objects.filter(key__in=part).values_list("key", flat=True) if k)
    new = [item for key, item in wanted.items() if key not in have]
    for part in _parts(new):
        writer.insert(part)
    result.created = len(new)
    if contract_ids is not None:
        changed = [i for i in contract_ids if i not in fresh]
        if changed:
            result.cancelled = _cancel_moot(changed, set(wanted), today, actor)
    return result


def _cancel_moot(contract_ids: list[int], wanted: set[str], today: date, actor: Any) -> int:
    """Open reminders no longer wanted: after a termination, those due after its date
    (DESIGN convention 5: nothing before it); otherwise, when the terms changed, the
    untouched ones whose deadline is still ahead."""
    items = list(
        WorkItem.objects.filter(
            kind=WorkItem.Kind.NOTICE, contract_id__in=contract_ids, status=WorkItem.Status.OPEN
        ).values_list(
            "id",
            "key",
            "moved",
            "reassigned",
            "due_date",
            "occurrence_date",
            "contract__status",
            "contract__terminated_on",
        )
    )
    moot = []
    for i, key, moved, reassigned, due, deadline, status, terminated_on in items:
        if key in wanted:
            continue
        if terminated_on is not None:
            if due > terminated_on:
                moot.append(i)
        elif (
            status in WATCHED_STATUSES
            and not (moved or reassigned)
            and deadline is not None
            and deadline >= today
        ):
            moot.append(i)
    if moot:
        WorkItem.objects.filter(id__in=moot).update(
            status=WorkItem.Status.CANCELLED,
            cancelled_by_schedule=True,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        event_record_many(
            actor=actor,
            entity="work_item",
            action="cancelled",
            items=((i, {"status": {"old": "open", "new": "cancelled"}}) for i in moot),
            note="cancelled by the schedule: the notice deadline no longer applies",
        )
    return len(moot)


def _parts(ids: list[Any], size: int = 2000) -> list[list[Any]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
