"""The notice deadline of the current term reads the same in the API, the list and the detail.

DESIGN convention 5: the deadline comes from the *current* term's end. Once it has
passed, the contract renews tacitly — the page says the right lapsed ("passed"),
never "overdue", and names the next term's deadline beside it.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from django.utils import timezone

from servanda.contracts.services import contract_create
from servanda.features.kinds import contract_type_create

pytestmark = pytest.mark.django_db


def _month_end(year: int, month: int) -> dt.date:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def test_passed_notice_deadline_is_the_same_in_api_list_and_detail(client, personas) -> None:
    today = timezone.localdate()
    # Commencing on the 1st, ten months back: a one-year term ends on the last day of
    # next month; three months' notice before a month-end term ends three month-ends earlier.
    start_month = today.month - 10
    start = dt.date(today.year - (1 if start_month < 1 else 0), (start_month - 1) % 12 + 1, 1)
    term_end = _month_end(today.year, today.month + 1)
    expected_deadline = _month_end(today.year, today.month - 2)
    assert expected_deadline < today < term_end
    ctype = contract_type_create(actor=personas.admin, code="svc", name="Service")
    contract = contract_create(
        actor=personas.owner,
        number="N-1",
        title="Notice check",
        contract_type=ctype,
        status="active",
        commencement_date=start,
        initial_term="P1Y",
        renewal_term="P1Y",
        notice_period="P3M",
        team=personas.team,
    )
    client.force_login(personas.owner)
    api = client.get(f"/api/contracts/{contract.pk}").json()
    assert api["current_term_end"] == term_end.isoformat()
    assert api["notice_deadline"] == expected_deadline.isoformat()

    shown = f"{expected_deadline.day} {expected_deadline:%b %Y}"
    for url in ("/contracts/", f"/contracts/{contract.pk}/"):
        page = client.get(url).content.decode()
        assert f'datetime="{expected_deadline.isoformat()}"' in page, url
        assert shown in page, url
        assert "passed" in page, url
        row = page[page.index(f'datetime="{expected_deadline.isoformat()}"') :][:400]
        assert "overdue" not in row, url
