"""Reports: what is coming up for the contracts a user sees (terms ending, notice deadlines)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from servanda.contracts.access import contracts_visible_to
from servanda.contracts.models import Contract
from servanda.contracts.selectors import contract_terms
from servanda.core.scope import can_read
from servanda.rules.periods import ONE_DAY, add_months_clamped
from servanda.rules.renewal import status_on
from servanda.web import dates

MONTHS = 12
DEADLINE_ROWS = 50
# Terms are computed per contract in Python; beyond this many the report says it is partial.
SCAN_LIMIT = 50_000


@dataclass(frozen=True)
class _Row:
    """The fields `contract_terms` reads, plus what the deadline table shows."""

    pk: int
    number: str
    title: str
    party_name: str | None
    commencement_date: dt.date | None
    initial_term: str
    renewal_term: str
    notice_period: str
    end_date: dt.date | None
    terminated_on: dt.date | None

    FIELDS: ClassVar[tuple[str, ...]] = (
        "pk",
        "number",
        "title",
        "party__name",
        "commencement_date",
        "initial_term",
        "renewal_term",
        "notice_period",
        "end_date",
        "terminated_on",
    )


@dataclass
class Upcoming:
    contract: _Row
    deadline: dt.date
    term_end: dt.date | None
    renews: bool


def _month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def upcoming(
    contracts: QuerySet[Contract], today: dt.date
) -> tuple[list[dt.date], dict, list[Upcoming], int]:
    """Per month from this one: current terms ending and notice deadlines; the next deadlines in detail.

    Reads plain rows rather than model instances: the terms are computed per contract in Python,
    and building thousands of full objects (features, timestamps) would cost more than the rule.
    """
    first = _month_start(today)
    months = [add_months_clamped(first, k) for k in range(MONTHS)]
    horizon = add_months_clamped(first, MONTHS)
    ending = dict.fromkeys(months, 0)
    renewing = dict.fromkeys(months, 0)
    notices = dict.fromkeys(months, 0)
    rows: list[Upcoming] = []
    # Without a renewal, a term that ended before today has nothing left to show.
    live = contracts.exclude(Q(renewal_term="") & Q(end_date__lt=today))
    scanned = 0
    for values in live.values_list(*_Row.FIELDS).iterator(chunk_size=5000):
        scanned += 1
        if scanned > SCAN_LIMIT:
            break
        row = _Row(*values)
        terms = contract_terms(row)  # type: ignore[arg-type]
        if terms is None:
            continue
        status = status_on(terms, today)
        end = status.term.end if status.term else None
        if end is not None and today <= end < horizon:
            (renewing if status.renews else ending)[_month_start(end)] += 1
        deadline = status.notice_deadline
        if deadline is not None and deadline < today and status.renews and end is not None:
            # Too late for this term: the chance that matters now is the renewed term's.
            following = status_on(terms, end + ONE_DAY)
            deadline, end = following.notice_deadline, following.term.end if following.term else None
        if deadline is not None and today <= deadline < horizon:
            notices[_month_start(deadline)] += 1
            rows.append(Upcoming(row, deadline, end, status.renews))
    rows.sort(key=lambda r: (r.deadline, r.contract.number))
    series = {
        "labels": [f"{dates.MONTHS[m.month - 1]} {m.year}" for m in months],
        "ending": [ending[m] for m in months],
        "renewing": [renewing[m] for m in months],
        "notices": [notices[m] for m in months],
    }
    return months, series, rows[:DEADLINE_ROWS], scanned


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not can_read(request.user, Contract):
        raise PermissionDenied
    today = timezone.localdate()
    qs = (
        contracts_visible_to(request.user)
        .filter(status=Contract.Status.ACTIVE, commencement_date__isnull=False)
        .order_by("pk")
    )
    _, series, rows, scanned = upcoming(qs, today)
    context = {
        "series": series,
        "rows": rows,
        "today": today,
        "partial": scanned > SCAN_LIMIT,
        "scan_limit": SCAN_LIMIT,
        "table": list(
            zip(series["labels"], series["ending"], series["renewing"], series["notices"], strict=True)
        ),
    }
    return render(request, "web/reports.html", context)
