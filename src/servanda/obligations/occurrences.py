"""Occurrences as rows: keys, set-wise inserts, and what generation reads per chunk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from servanda.installations.models import Coverage
from servanda.work.models import WorkItem

from .windows import Window, coverage_windows

BATCH = 2000
S = WorkItem.Status
PLANNED = WorkItem.Kind.PLANNED.value
OPEN = WorkItem.Status.OPEN.value


def occurrence_key(obligation_id: int, installation_id: int | None, day: date) -> str:
    return f"obl:{obligation_id}:inst:{installation_id or 0}:{day.isoformat()}"


class WorkItemRows:
    """Work item rows as plain tuples, inserted with one `executemany` per batch.

    Model instances and the ORM's per-value preparation cost several times the insert
    itself at this volume (DESIGN: set-wise, compared with raw inserts). `ON CONFLICT
    (key) DO NOTHING` (SQLite and PostgreSQL) lets a tick and a change running at once
    insert a key only once.
    """

    COLUMNS = (
        "version",
        "created_at",
        "updated_at",
        "title",
        "kind",
        "key",
        "obligation_id",
        "contract_id",
        "installation_id",
        "occurrence_date",
        "reason",
        "due_date",
        "visible_from",
        "status",
        "assignee_user_id",
        "assignee_role_id",
        "estimated_minutes",
        "completion_note",
        "moved",
        "reassigned",
        "cancelled_by_schedule",
    )

    def __init__(self) -> None:
        ops = connection.ops
        self.now = ops.adapt_datetimefield_value(timezone.now())
        self.day = ops.adapt_datefield_value
        qn = ops.quote_name
        self.sql = (
            f"INSERT INTO {qn(WorkItem._meta.db_table)} ({', '.join(qn(c) for c in self.COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(self.COLUMNS))}) ON CONFLICT ({qn('key')}) DO NOTHING"
        )

    def row(self, obl: dict[str, Any], iid: int | None, label: str, day: date, key: str) -> tuple:
        d = self.day(day)
        return (
            1,
            self.now,
            self.now,
            f"{obl['description']} — {label}"[:500],
            PLANNED,
            key,
            obl["id"],
            obl["contract_id"],
            iid,
            d,
            f"Obligation #{obl['id']} of contract {obl['contract__number']}, occurrence {day.isoformat()}",
            d,
            self.day(day - timedelta(days=obl["lead_days"] or 0)),
            OPEN,
            obl["responsible_user_id"],
            obl["responsible_role_id"],
            obl["estimated_minutes"],
            "",
            False,
            False,
            False,
        )

    def insert(self, rows: list[tuple]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)


def coverages_by_contract(contract_ids: Iterable[int]) -> dict[int, list[tuple[int, list[Window], str]]]:
    """contract → [(installation, its coverage windows, serial)], one query per chunk."""
    periods: dict[tuple[int, int], list[tuple[date, date | None]]] = defaultdict(list)
    serials: dict[int, str] = {}
    ids = list(contract_ids)
    for part in (ids[i : i + BATCH] for i in range(0, len(ids), BATCH)):
        for cid, iid, start, end_excl, serial in Coverage.objects.filter(contract_id__in=part).values_list(
            "contract_id", "installation_id", "start", "end_excl", "installation__serial_number"
        ):
            periods[(cid, iid)].append((start, end_excl))
            serials[iid] = serial
    out: dict[int, list[tuple[int, list[Window], str]]] = defaultdict(list)
    for (cid, iid), spans in sorted(periods.items()):
        out[cid].append((iid, coverage_windows(sorted(spans)), serials[iid]))
    return out


def floating_state(existing: list[dict[str, Any]]) -> dict[tuple[int, int | None], dict[str, Any]]:
    """Per (obligation, installation): occurrences still live, and the date the next counts from."""
    state: dict[tuple[int, int | None], dict[str, Any]] = {}
    for e in existing:
        s = state.setdefault((e["obligation_id"], e["installation_id"]), {"live": [], "base": None})
        if e["status"] in (S.OPEN, S.IN_PROGRESS):
            s["live"].append(e["occurrence_date"])
            continue
        if e["status"] == S.DONE:
            mark = e["completed_on"] or e["due_date"]
        elif not e["cancelled_by_schedule"]:
            mark = e["occurrence_date"]  # skipped by a person: the next counts from the skipped one
        else:
            continue
        if mark is not None and (s["base"] is None or mark > s["base"]):
            s["base"] = mark
    return state
