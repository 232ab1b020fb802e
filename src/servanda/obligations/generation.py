"""Generating planned work items, set-wise (DESIGN.md conventions 4, 5, 6 and 10).

`schedule_generate(today=…)` is the one entry point, used by `servanda tick`, by
`hooks.contracts_changed` (for just the changed contracts) and by the benchmarks.

* Every occurrence has a unique key (`obl:<obligation>:inst:<installation|0>:<date>`);
  only missing keys are inserted (bulk), so running twice never duplicates.
* Occurrences are generated from the anchor up to `today + horizon`; no lower bound
  depends on `today`, so a tick after a week of downtime inserts exactly what daily
  ticks would have. A tick looks only beyond each obligation's `generated_until`
  watermark, so a tick with nothing to do reads no work items.
* On a change (`contract_ids` given) the contracts' schedules are recomputed in full:
  missing occurrences are inserted, items the schedule had cancelled and that are
  wanted again are reopened, and open items no longer wanted are cancelled — when
  their due date falls outside the contract's or the coverage's period (termination,
  coverage ended: whatever a person did to them), or when nobody touched them and
  they lie in the future (the rule changed). Started, done and person-cancelled
  items are never changed.
* One `schedule_run` event per run carries the counts; cancelled and reopened items
  get one event each (set-wise), since those change what people see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from servanda.events.services import event_record, event_record_many
from servanda.rules.periods import add_months_clamped
from servanda.rules.recurrence import Expander, Interval, Recurrence, RecurrenceError
from servanda.work.models import WorkItem

from .models import Mode, Obligation, ScheduleRun, Scope
from .notices import notices_generate
from .occurrences import WorkItemRows, coverages_by_contract, floating_state, occurrence_key
from .windows import CONTRACT_FIELDS, SCHEDULED_STATUSES, Window, contract_window

CHUNK = 500
BATCH = 2000
S = WorkItem.Status
PLANNED = WorkItem.Kind.PLANNED.value
OPEN = WorkItem.Status.OPEN.value

OBLIGATION_FIELDS = (
    "id",
    "contract_id",
    "description",
    "responsible_user_id",
    "responsible_role_id",
    "scope",
    "interval_unit",
    "interval",
    "rrule",
    "lead_days",
    "estimated_minutes",
    "mode",
    "anchor_date",
    "active",
    "generated_until",
    "contract__number",
    *CONTRACT_FIELDS,
)
EXISTING_FIELDS = (
    "id",
    "key",
    "status",
    "moved",
    "reassigned",
    "cancelled_by_schedule",
    "due_date",
    "occurrence_date",
    "obligation_id",
    "installation_id",
    "contract_id",
    "completed_on",
)


@dataclass
class GenerationResult:
    created: int = 0
    cancelled: int = 0
    reopened: int = 0
    obligations: int = 0
    notices: int = 0
    run_id: int | None = None


def horizon_months() -> int:
    return int(settings.SERVANDA.get("SCHEDULE_HORIZON_MONTHS", 18))


def horizon_end(today: date) -> date:
    return add_months_clamped(today, horizon_months())


def schedule_today() -> date:
    """The schedule's own "today": the last tick's, else the calendar's.

    A change regenerates its contracts to the same horizon the rest of the schedule
    has, so a changed contract looks exactly as if it had been there at the last tick.
    """
    last = ScheduleRun.objects.filter(trigger="tick").order_by("-id").values_list("today", flat=True).first()
    return last or timezone.localdate()


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _recurrence(row: dict[str, Any]) -> Recurrence | None:
    return _recurrence_of(row["rrule"], row["interval_unit"] or "month", row["interval"] or 1)


@lru_cache(maxsize=4096)
def _recurrence_of(rule: str, unit: str, every: int) -> Recurrence | None:
    """One parse per distinct rule, however many obligations share it."""
    try:
        return Recurrence(rule=rule) if rule else Recurrence(interval=Interval(unit, every))
    except RecurrenceError:
        return None  # refused at input; a bad stored rule generates nothing rather than crash a tick


class _Run:
    def __init__(self, *, today: date, end: date, full: bool) -> None:
        self.today, self.end, self.full = today, end, full
        self.expander = Expander()
        self.rows = WorkItemRows()
        self.result = GenerationResult()
        self.cancel_ids: list[tuple[int, str]] = []
        self.reopen_ids: list[int] = []

    # -- desired occurrences -------------------------------------------------
    def _targets(
        self, row: dict[str, Any], covs: dict[int, list[tuple[int, list[Window], str]]]
    ) -> list[tuple[int | None, list[Window], str]]:
        """(installation, windows, label) the obligation applies to."""
        if row["scope"] == Scope.INSTALLATION:
            return [(iid, wins, serial) for iid, wins, serial in covs.get(row["contract_id"], [])]
        return [(None, [Window(None, None)], row["contract__number"])]

    def _anchored(self, row: dict[str, Any], rec: Recurrence, cwin: Window, wins: list[Window]) -> list[date]:
        out: list[date] = []
        lo = row["generated_until"] + timedelta(days=1) if not self.full and row["generated_until"] else None
        for win in wins:
            anchor = row["anchor_date"] or win.start or cwin.start
            if anchor is None:
                continue
            start, stop = cwin.clip(win.start or anchor, min(self.end, win.end or self.end))
            if lo is not None:
                start = max(start, lo)
            out.extend(self.expander.between(rec, anchor, start, stop))
        return out

    def _floating(
        self,
        row: dict[str, Any],
        rec: Recurrence,
        cwin: Window,
        wins: list[Window],
        state: dict[str, Any] | None,
    ) -> list[date]:
        """The one next occurrence: after the last completion, or the first from the anchor."""
        if state and state["live"]:
            # An open one exists: the earliest stays the wanted one. Later open ones (left by
            # a switch from anchored) are surplus: one at a time.
            return [min(state["live"])]
        base = state["base"] if state else None
        if base is not None:
            nxt = rec.after(base)
            ok = (
                nxt is not None
                and nxt <= self.end
                and cwin.contains(nxt)
                and any(w.contains(nxt) for w in wins)
            )
            return [nxt] if ok and nxt is not None else []
        firsts = self._anchored({**row, "generated_until": None}, rec, cwin, wins)
        return firsts[:1]

    # -- one chunk of obligations --------------------------------------------
    def chunk(self, rows: Sequence[dict[str, Any]]) -> None:
        inst_contracts = {r["contract_id"] for r in rows if r["scope"] == Scope.INSTALLATION}
        covs = coverages_by_contract(inst_contracts)
        existing = self._existing(rows)
        floating = floating_state(existing) if any(r["mode"] == Mode.FLOATING for r in rows) else {}
        existing_keys = {e["key"]: e for e in existing}
        desired: set[str] = set()
        pending: list[tuple] = []
        for row in rows:
            rec = _recurrence(row)
            cwin = contract_window(row)
            if rec is None or cwin is None or not row["active"]:
                continue
            self.result.obligations += 1
            for iid, wins, label in self._targets(row, covs):
                if row["mode"] == Mode.FLOATING:
                    days = self._floating(row, rec, cwin, wins, floating.get((row["id"], iid)))
                else:
                    days = self._anchored(row, rec, cwin, wins)
                for day in days:
                    key = occurrence_key(row["id"], iid, day)
                    desired.add(key)
                    if key not in existing_keys:
                        pending.append(self.rows.row(row, iid, label, day, key))
                if len(pending) >= BATCH:
                    self._insert(pending)
                    pending = []
        self._insert(pending)
        if self.full:
            self._reconcile(rows, existing, desired, covs)

    def _existing(self, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [r["id"] for r in rows]
        qs = WorkItem.objects.filter(obligation_id__in=ids)
        if not self.full:
            floating = [r["id"] for r in rows if r["mode"] == Mode.FLOATING]
            marks = [r["generated_until"] for r in rows if r["mode"] != Mode.FLOATING]
            if all(m is not None for m in marks) and marks:
                # Only what lies beyond the watermarks can collide: keeps a quiet tick cheap.
                qs = qs.filter(Q(occurrence_date__gt=min(marks)) | Q(obligation_id__in=floating))
        return list(qs.values(*EXISTING_FIELDS))

    def _insert(self, pending: list[tuple]) -> None:
        if pending:
            self.rows.insert(pending)
            self.result.created += len(pending)

    def _reconcile(
        self,
        rows: Sequence[dict[str, Any]],
        existing: list[dict[str, Any]],
        desired: set[str],
        covs: dict[int, list[tuple[int, list[Window], str]]],
    ) -> None:
        by_id = {r["id"]: r for r in rows}
        cov_windows = {(cid, iid): wins for cid, lst in covs.items() for iid, wins, _ in lst}
        for e in existing:
            if e["key"] in desired:
                if e["status"] == S.CANCELLED and e["cancelled_by_schedule"]:
                    self.reopen_ids.append(e["id"])
                continue
            if e["status"] != S.OPEN:
                continue
            row = by_id[e["obligation_id"]]
            cwin = contract_window(row)
            if cwin is None:
                continue  # no known period (e.g. ended on an unrecorded day): change nothing
            valid = cwin.contains(e["due_date"])
            if valid and row["scope"] == Scope.INSTALLATION:
                wins = cov_windows.get((row["contract_id"], e["installation_id"]), [])
                valid = any(w.contains(e["due_date"]) for w in wins)
            untouched = not (e["moved"] or e["reassigned"])
            occ = e["occurrence_date"]
            if not valid:
                self.cancel_ids.append((e["id"], "outside the contract's or coverage's period"))
            elif untouched and occ is not None and self.today < occ <= self.end:
                self.cancel_ids.append((e["id"], "no longer in the obligation's schedule"))

    # -- writes of the reconciliation ------------------------------------------
    def finish(self, actor: Any) -> None:
        now = timezone.now()
        for part in _chunks(self.reopen_ids, BATCH):
            WorkItem.objects.filter(id__in=part).update(
                status=S.OPEN, cancelled_by_schedule=False, version=F("version") + 1, updated_at=now
            )
        if self.reopen_ids:
            event_record_many(
                actor=actor,
                entity="work_item",
                action="reopened",
                items=((i, {"status": {"old": "cancelled", "new": "open"}}) for i in self.reopen_ids),
                note="wanted again by the schedule",
            )
        by_reason: dict[str, list[int]] = defaultdict(list)
        for item_id, reason in self.cancel_ids:
            by_reason[reason].append(item_id)
        for reason, item_ids in by_reason.items():
            for part in _chunks(item_ids, BATCH):
                WorkItem.objects.filter(id__in=part, status=S.OPEN).update(
                    status=S.CANCELLED, cancelled_by_schedule=True, version=F("version") + 1, updated_at=now
                )
            event_record_many(
                actor=actor,
                entity="work_item",
                action="cancelled",
                items=((i, {"status": {"old": "open", "new": "cancelled"}}) for i in item_ids),
                note=f"cancelled by the schedule: {reason}",
            )
        self.result.reopened = len(self.reopen_ids)
        self.result.cancelled = len(self.cancel_ids)


def schedule_generate(
    *,
    today: date,
    contract_ids: Iterable[int] | None = None,
    obligation_ids: Iterable[int] | None = None,
    actor: Any = None,
    trigger: str = "",
    created_ids: Iterable[int] = (),
) -> GenerationResult:
    """Generate planned work (and notice reminders) up to `today + horizon`.

    `contract_ids`: recompute just these contracts in full (a change). Otherwise a tick
    over every obligation (or `obligation_ids`) below the horizon. `created_ids`: those of
    `contract_ids` created in this transaction, which have no work yet. Returns the counts.
    """
    full = contract_ids is not None
    end = horizon_end(today)
    cids = sorted(set(contract_ids)) if contract_ids is not None else None
    run = _Run(today=today, end=end, full=full)
    with transaction.atomic():
        qs = Obligation.objects.filter(contract__status__in=SCHEDULED_STATUSES)
        if cids is not None:
            qs = qs.filter(contract_id__in=cids)
        else:
            qs = qs.filter(active=True)
            if obligation_ids is not None:
                qs = qs.filter(id__in=list(obligation_ids))
            else:
                qs = qs.filter(
                    Q(generated_until__isnull=True) | Q(generated_until__lt=end) | Q(mode=Mode.FLOATING)
                )
        rows = list(qs.values(*OBLIGATION_FIELDS).order_by("id"))
        for part in _chunks(rows, CHUNK):
            run.chunk(part)
        run.finish(actor)
        marked = [r["id"] for r in rows if r["active"]]
        for part in _chunks(marked, BATCH):
            Obligation.objects.filter(id__in=part).filter(
                Q(generated_until__isnull=True) | Q(generated_until__lt=end)
            ).update(generated_until=end)
        if obligation_ids is None:
            notices = notices_generate(today=today, contract_ids=cids, actor=actor, created_ids=created_ids)
            run.result.notices = notices.created
            run.result.cancelled += notices.cancelled
        result = run.result
        quiet = not (result.created or result.notices or result.cancelled or result.reopened)
        if full and quiet:
            return result  # a change that changed no work: no run to record
        record = ScheduleRun.objects.create(
            today=today,
            horizon_end=end,
            trigger=trigger or ("change" if full else "obligation" if obligation_ids is not None else "tick"),
            contract_count=None if cids is None else len(cids),
            created=result.created + result.notices,
            cancelled=result.cancelled,
            reopened=result.reopened,
        )
        event_record(
            actor=actor,
            entity="schedule_run",
            entity_id=record.id,
            action="generated",
            changes={
                "today": today,
                "horizon_end": end,
                "created": result.created,
                "notices": result.notices,
                "cancelled": result.cancelled,
                "reopened": result.reopened,
                "contracts": cids if cids is not None and len(cids) <= 50 else (len(cids) if cids else "all"),
            },
        )
        result.run_id = record.id
    return result
