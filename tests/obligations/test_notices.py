"""Notice-deadline reminders from the renewal cases (../shared/cases/date-rules.json)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from servanda.contracts.services import contract_terminate
from servanda.obligations.generation import schedule_generate
from servanda.rules.durations import parse_iso_duration
from servanda.work.models import WorkItem
from servanda.work.services import role_create
from tests.conftest import case_params

from .conftest import schedule_clock

D = date.fromisoformat
S = WorkItem.Status


def notices(contract):
    return WorkItem.objects.filter(kind=WorkItem.Kind.NOTICE, contract=contract).order_by("occurrence_date")


@pytest.mark.parametrize("case", case_params("date-rules.json", "notice deadline"))
def test_reminder_before_the_notice_deadline(world, settings, case: dict) -> None:
    i, expected = case["input"], case["expected"]
    lead = parse_iso_duration(i.get("reminder_before_deadline", "P21D")).days
    settings.SERVANDA = {**settings.SERVANDA, "NOTICE_REMINDER_LEAD_DAYS": lead}
    desk = role_create(actor=world.admin, name="Contract desk", receives_notice_reminders=True)
    schedule_clock(D(i["today"]))
    c = world.contract(
        commencement_date=D(i["commencement"]),
        initial_term=i["initial_term"],
        renewal_term=i["renewal_term"],
        notice_period=i["notice"],
    )
    item = notices(c).get()
    assert item.occurrence_date == D(expected["notice_deadline"])
    assert item.due_date == D(expected["notice_deadline"]) - timedelta(days=lead)
    if "reminder_due" in expected:
        assert item.due_date == D(expected["reminder_due"])
    assert item.assignee_role == desk and item.status == S.OPEN


def test_a_new_reminder_after_each_tacit_renewal_and_none_missed(world, settings) -> None:
    settings.SERVANDA = {**settings.SERVANDA, "NOTICE_REMINDER_LEAD_DAYS": 21}
    schedule_clock(D("2019-01-01"))
    c = world.contract(
        commencement_date=D("2018-09-27"), initial_term="P36M", renewal_term="P12M", notice_period="P3M"
    )
    assert [n.occurrence_date for n in notices(c)] == [D("2021-06-26")]
    schedule_generate(today=D("2021-06-26"))  # deadline day: still the same term
    assert notices(c).count() == 1
    schedule_generate(today=D("2021-06-27"))  # passed without notice: renewed tacitly
    assert [n.occurrence_date for n in notices(c)] == [D("2021-06-26"), D("2022-06-26")]
    schedule_generate(today=D("2024-07-01"))  # two years of downtime: nothing missed
    assert [n.occurrence_date for n in notices(c)] == [
        D("2021-06-26"),
        D("2022-06-26"),
        D("2023-06-26"),
        D("2024-06-26"),
        D("2025-06-26"),
    ]
    schedule_generate(today=D("2024-07-01"))
    assert notices(c).count() == 5


def test_termination_cancels_reminders_due_after_it_and_nothing_before(world) -> None:
    schedule_clock(D("2019-01-01"))
    early = world.contract(
        number="N-1",
        commencement_date=D("2018-09-27"),
        initial_term="P36M",
        renewal_term="P12M",
        notice_period="P3M",
    )
    late = world.contract(
        number="N-2",
        commencement_date=D("2018-09-27"),
        initial_term="P36M",
        renewal_term="P12M",
        notice_period="P3M",
    )
    for c, on in ((early, D("2021-03-01")), (late, D("2021-09-26"))):
        c.refresh_from_db()
        contract_terminate(actor=world.admin, contract=c, version=c.version, on=on)
    # The reminder is due 2021-05-27 (30 days before the 2021-06-26 deadline).
    assert notices(early).get().status == S.CANCELLED
    assert notices(late).get().status == S.OPEN


def test_role_marked_later_takes_the_reminders_nobody_had(world) -> None:
    from django.contrib.auth.models import Group

    from servanda.events.models import Event
    from servanda.work.services import role_update

    schedule_clock(D("2019-01-01"))
    team = Group.objects.create(name="North")
    c = world.contract(
        number="N-9",
        commencement_date=D("2018-09-27"),
        initial_term="P36M",
        renewal_term="P12M",
        notice_period="P3M",
        team=team,
    )
    other = world.contract(
        number="N-10",
        commencement_date=D("2018-09-27"),
        initial_term="P36M",
        renewal_term="P12M",
        notice_period="P3M",
    )
    # No role receives reminders yet: the items exist but sit in no one's work.
    assert notices(c).get().assignee_role is None and notices(other).get().assignee_role is None
    desk = role_create(actor=world.admin, name="Contracts North", team=team)
    assert notices(c).get().assignee_role is None  # not marked: takes nothing
    desk = role_update(actor=world.admin, role=desk, version=desk.version, receives_notice_reminders=True)
    item = notices(c).get()
    assert item.assignee_role == desk and item.status == S.OPEN
    assert notices(other).get().assignee_role is None  # another team's contract: not this role's
    assert Event.objects.filter(entity="work_item", entity_id=item.pk, action="assigned").exists()
    anyone = role_create(actor=world.admin, name="Contracts desk", receives_notice_reminders=True)
    assert notices(other).get().assignee_role == anyone and notices(c).get().assignee_role == desk
