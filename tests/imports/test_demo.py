"""`servanda load_demo` is idempotent and gives the machines their contracts."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from servanda.contracts.models import Contract
from servanda.imports.demo import generated_rows
from servanda.installations.models import Coverage, Installation

pytestmark = pytest.mark.django_db


def test_load_demo_twice_without_real_data(tmp_path, settings):
    settings.SHARED_DATA_DIR = tmp_path / "absent"
    Installation.objects.create(serial_number="PDM-001", installed_on=dt.date(2013, 6, 1))
    Installation.objects.create(serial_number="PDM-002", installed_on=dt.date(1999, 6, 1))
    call_command("load_demo", stdout=StringIO())
    user = authenticate(username="demo", password="servanda-demo")
    assert user is not None and user.is_superuser
    contracts, coverages = Contract.objects.count(), Coverage.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert (Contract.objects.count(), Coverage.objects.count()) == (contracts, coverages)
    assert "0 created" in out.getvalue()
    moved = Coverage.objects.filter(installation__serial_number="PDM-001").order_by("start")
    # Moved between contracts mid-2015, and under warranty at the same time.
    numbers = [c.contract.number for c in moved]
    assert "MC-2015-01" in numbers and "MC-2015-02" in numbers and "W-PDM-001" in numbers
    assert Contract.objects.get(number="MC-2015-01").parent.number == "FA-2015-01"


def test_generated_rows_cover_every_machine():
    machines = [(f"PDM-{i:03d}", dt.date(2000 + i % 15, 6, 1)) for i in range(1, 101)]
    _contracts, coverages = generated_rows(machines)
    assert {c["installation"] for c in coverages} == {m for m, _ in machines}


def test_demo_plans_visits_from_just_before_today_for_the_field_role(tmp_path, settings):
    from servanda.imports.demo_work import FIELD_ROLE
    from servanda.work.models import WorkItem
    from servanda.work.selectors import my_work_items

    settings.SHARED_DATA_DIR = tmp_path / "absent"
    Installation.objects.create(serial_number="PDM-001", installed_on=dt.date(2013, 6, 1))
    Installation.objects.create(serial_number="PDM-002", installed_on=dt.date(1999, 6, 1))
    call_command("load_demo", stdout=StringIO())
    planned = WorkItem.objects.filter(kind="planned")
    items = planned.count()
    assert items > 0
    # Anchored two months back at the earliest: no flood of visits since 2015.
    earliest = planned.order_by("due_date").first().due_date
    assert (dt.date.today() - earliest).days <= 3 * 31
    visits = planned.filter(title__icontains="Preventive", installation__serial_number="PDM-001")
    assert visits.exists() and {v.assignee_role.name for v in visits} == {FIELD_ROLE}
    demo = authenticate(username="demo", password="servanda-demo")
    assert my_work_items(demo, upcoming=True).exists()
    call_command("load_demo", stdout=StringIO())
    call_command("tick", stdout=StringIO())
    assert planned.count() == items
