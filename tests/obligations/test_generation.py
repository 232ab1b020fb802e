"""Generation: templates copied, coverage followed, idempotent, catch-up safe, edits kept."""

from __future__ import annotations

from datetime import timedelta

from servanda.contracts.services import contract_terminate
from servanda.installations.coverage import coverage_end
from servanda.obligations.generation import occurrence_key, schedule_generate
from servanda.obligations.models import Obligation, ScheduleRun
from servanda.rules.periods import add_months_clamped
from servanda.work.models import WorkItem
from servanda.work.services import work_item_complete, work_item_move, work_item_start

from .conftest import DAY0, D, dates, planned

S = WorkItem.Status


def _every_six_months(anchor, until):
    # The domain rule, written out: k-th = anchor + 6k months, up to the horizon end.
    out, k = [], 0
    while (d := add_months_clamped(anchor, 6 * k)) <= until:
        out.append(d)
        k += 1
    return out


def test_new_contract_gets_templates_and_coverage_gets_its_schedule(world) -> None:
    c = world.contract()
    assert Obligation.objects.filter(contract=c).count() == 1
    m = world.machine("SN-1")
    world.cover(c, m, DAY0)
    horizon = add_months_clamped(DAY0, 18)
    assert dates(planned(installation=m)) == _every_six_months(DAY0, horizon)
    item = planned(installation=m).first()
    assert item.assignee_role == world.role and item.estimated_minutes == 120
    assert item.visible_from == item.due_date - timedelta(days=14)


def test_installation_added_later_is_scheduled_from_its_coverage_start(world) -> None:
    c = world.contract()
    world.cover(c, world.machine("SN-1"), DAY0)
    late = world.machine("SN-2")
    world.cover(c, late, D("2024-03-31"))
    assert dates(planned(installation=late)) == [D("2024-03-31"), D("2024-09-30"), D("2025-03-31")]


def test_tick_twice_creates_no_duplicates(world) -> None:
    c = world.contract()
    world.cover(c, world.machine("SN-1"), DAY0)
    first = set(planned().values_list("key", flat=True))
    schedule_generate(today=DAY0 + timedelta(days=1))
    again = schedule_generate(today=DAY0 + timedelta(days=1))
    assert again.created == 0
    keys = list(planned().values_list("key", flat=True))
    assert len(keys) == len(set(keys)) and first <= set(keys)


def test_tick_after_a_week_of_downtime_equals_daily_ticks(world) -> None:
    c = world.contract()
    m = world.machine("SN-1")
    world.cover(c, m, D("2024-01-05"))
    start = DAY0
    # Daily over 10 days: the horizon passes 2025-07-05 (a new occurrence) on day 4.
    for i in range(10):
        schedule_generate(today=start + timedelta(days=i))
    daily = set(planned().values_list("key", flat=True))
    WorkItem.objects.all().delete()
    Obligation.objects.update(generated_until=None)
    schedule_generate(today=start)
    schedule_generate(today=start + timedelta(days=9))  # a week and more of downtime
    caught_up = set(planned().values_list("key", flat=True))
    obligation = Obligation.objects.get()
    expected = {
        occurrence_key(obligation.pk, m.pk, d)
        for d in _every_six_months(D("2024-01-05"), add_months_clamped(start + timedelta(days=9), 18))
    }
    assert daily == caught_up == expected
    assert D("2025-07-05") in set(planned().values_list("due_date", flat=True))


def test_moved_item_stays_moved_after_two_ticks(world) -> None:
    c = world.contract()
    m = world.machine("SN-1")
    world.cover(c, m, DAY0)
    item = planned(installation=m, due_date=D("2024-07-01")).get()
    work_item_move(actor=world.engineer, item=item, version=item.version, due_date=D("2024-07-15"))
    schedule_generate(today=D("2024-01-02"))
    schedule_generate(today=D("2024-01-02"))
    # A change regenerates the contract in full: still kept.
    world.cover(c, world.machine("SN-2"), DAY0)
    rows = planned(installation=m, occurrence_date=D("2024-07-01"))
    assert rows.count() == 1
    moved = rows.get()
    assert moved.due_date == D("2024-07-15") and moved.moved and moved.status == S.OPEN


def test_coverage_ended_cancels_future_open_items_only(world) -> None:
    c = world.contract()
    m = world.machine("SN-1")
    cov = world.cover(c, m, DAY0)
    coverage_end(actor=world.admin, coverage=cov, version=cov.version, end=D("2024-08-31"))
    live = planned(installation=m).exclude(status=S.CANCELLED)
    assert dates(live) == [D("2024-01-01"), D("2024-07-01")]
    assert dates(planned(installation=m, status=S.CANCELLED)) == [D("2025-01-01"), D("2025-07-01")]
    assert all(i.cancelled_by_schedule for i in planned(status=S.CANCELLED))


def test_coverage_extended_again_reopens_what_the_schedule_cancelled(world) -> None:
    c = world.contract()
    m = world.machine("SN-1")
    cov = world.cover(c, m, DAY0)
    cov = coverage_end(actor=world.admin, coverage=cov, version=cov.version, end=D("2024-08-31"))
    from servanda.installations.coverage import coverage_update

    coverage_update(actor=world.admin, coverage=cov, version=cov.version, end=None)
    assert planned(installation=m, status=S.CANCELLED).count() == 0
    assert dates(planned(installation=m)) == _every_six_months(DAY0, add_months_clamped(DAY0, 18))


def test_termination_cancels_future_open_items_and_nothing_before(world) -> None:
    c = world.contract()
    m = world.machine("SN-1")
    world.cover(c, m, DAY0)
    started = planned(installation=m, due_date=D("2025-01-01")).get()
    work_item_start(actor=world.engineer, item=started, version=started.version)
    moved = planned(installation=m, due_date=D("2025-07-01")).get()
    work_item_move(actor=world.engineer, item=moved, version=moved.version, due_date=D("2025-07-10"))
    c.refresh_from_db()
    contract_terminate(actor=world.admin, contract=c, version=c.version, on=D("2024-10-31"))
    by_date = {i.occurrence_date: i.status for i in planned(installation=m)}
    assert by_date[D("2024-01-01")] == S.OPEN
    assert by_date[D("2024-07-01")] == S.OPEN
    assert by_date[D("2025-01-01")] == S.IN_PROGRESS  # someone is on it: kept
    assert by_date[D("2025-07-01")] == S.CANCELLED  # open, moved, but after the termination
    schedule_generate(today=D("2024-12-01"))
    assert planned(installation=m, occurrence_date__gt=D("2024-10-31"), status=S.OPEN).count() == 0


def test_early_completion_closes_the_occurrence(world) -> None:
    c = world.contract()
    m = world.machine("SN-1")
    world.cover(c, m, DAY0)
    item = planned(installation=m, due_date=D("2024-07-01")).get()
    work_item_complete(
        actor=world.engineer, item=item, version=item.version, note="done early", completed_on=D("2024-05-20")
    )
    schedule_generate(today=D("2024-06-01"))
    world.cover(c, world.machine("SN-2"), DAY0)  # a full regeneration too
    rows = planned(installation=m, occurrence_date=D("2024-07-01"))
    assert rows.count() == 1 and rows.get().status == S.DONE
    assert rows.get().completion_note == "done early" and rows.get().completed_by == world.engineer


def test_floating_mode_counts_from_the_last_completion(world) -> None:
    from servanda.obligations.services import obligation_create

    c = world.contract()
    obl = obligation_create(
        actor=world.admin,
        contract=c,
        description="Filter change",
        responsible_user=world.engineer.pk,
        scope="contract",
        interval_unit="month",
        interval=3,
        mode="floating",
        anchor_date=D("2024-02-10"),
    )
    items = WorkItem.objects.filter(obligation=obl)
    assert dates(items) == [D("2024-02-10")]  # one at a time
    first = items.get()
    work_item_complete(actor=world.engineer, item=first, version=first.version, completed_on=D("2024-03-05"))
    assert dates(items.filter(status=S.OPEN)) == [D("2024-06-05")]
    schedule_generate(today=D("2024-03-06"))
    schedule_generate(today=D("2024-03-07"))
    assert items.count() == 2


def test_every_run_leaves_one_summary_event(world) -> None:
    from servanda.events.models import Event

    before = Event.objects.filter(entity="schedule_run").count()
    schedule_generate(today=D("2024-01-03"))
    assert Event.objects.filter(entity="schedule_run").count() == before + 1
    assert ScheduleRun.objects.latest().today == D("2024-01-03")


def test_rule_change_replaces_untouched_future_items_and_keeps_edited_ones(world) -> None:
    from servanda.obligations.services import obligation_update

    c = world.contract()
    m = world.machine("SN-1")
    world.cover(c, m, DAY0)
    moved = planned(installation=m, due_date=D("2025-01-01")).get()
    work_item_move(actor=world.engineer, item=moved, version=moved.version, due_date=D("2025-01-08"))
    schedule_generate(today=D("2024-03-01"))  # the schedule's today moves on
    obl = Obligation.objects.get(contract=c)
    obligation_update(
        actor=world.admin, obligation=obl, version=obl.version, interval=4, estimated_minutes=90
    )
    live = planned(installation=m).exclude(status=S.CANCELLED)
    # Every 4 months from 2024-01-01 up to 2024-03-01 + 18 months, plus the moved item kept as it was.
    expected = {d for d in (add_months_clamped(DAY0, 4 * k) for k in range(6)) if d <= D("2025-09-01")}
    assert {i.occurrence_date for i in live} == expected | {D("2025-01-01")}
    assert planned(installation=m, due_date=D("2025-01-08")).get().moved
    cancelled = set(planned(installation=m, status=S.CANCELLED).values_list("occurrence_date", flat=True))
    assert cancelled == {D("2024-07-01"), D("2025-07-01")}  # untouched, future, no longer in the rule
    # The past one (2024-01-01) stays: it was owed then. New effort on untouched open items.
    assert planned(installation=m, due_date=D("2024-05-01")).get().estimated_minutes == 90


def test_claimed_item_keeps_its_claimer_through_rule_and_responsible_changes(world) -> None:
    from servanda.obligations.services import obligation_update
    from servanda.work.services import role_create, work_item_claim

    c = world.contract()
    m = world.machine("SN-1")
    world.cover(c, m, DAY0)
    item = planned(installation=m, due_date=D("2024-07-01")).get()
    work_item_claim(actor=world.engineer, item=item, version=item.version)
    other = role_create(actor=world.admin, name="Service South")
    obl = Obligation.objects.get(contract=c)
    # Every 4 months no longer has 2024-07-01, and the responsible role changes: a claim
    # is a person's choice of who does it (convention 10), so the item stays theirs.
    obligation_update(
        actor=world.admin, obligation=obl, version=obl.version, interval=4, responsible_role=other.pk
    )
    kept = planned(installation=m, occurrence_date=D("2024-07-01")).get()
    assert kept.status == S.OPEN
    assert kept.assignee_user == world.engineer and kept.assignee_role == world.role
    untouched = planned(installation=m, occurrence_date=D("2024-09-01")).get()  # new under the rule
    assert untouched.assignee_role == other and untouched.assignee_user is None


def test_switch_from_anchored_to_floating_leaves_one_open_occurrence(world) -> None:
    from servanda.obligations.services import obligation_create, obligation_update

    c = world.contract()
    obl = obligation_create(
        actor=world.admin,
        contract=c,
        description="Filter change",
        scope="contract",
        interval_unit="month",
        interval=3,
        anchor_date=D("2024-02-10"),
    )
    items = WorkItem.objects.filter(obligation=obl)
    assert items.count() == 6  # anchored: 2024-02-10 … 2025-05-10 within the 18 months
    moved = items.get(occurrence_date=D("2024-11-10"))
    work_item_move(actor=world.engineer, item=moved, version=moved.version, due_date=D("2024-11-20"))
    obl.refresh_from_db()
    obligation_update(actor=world.admin, obligation=obl, version=obl.version, mode="floating")
    # Floating plans one at a time: the first open one stays, the untouched later ones go;
    # the one a person moved is theirs and stays (convention 10).
    assert dates(items.filter(status=S.OPEN)) == [D("2024-02-10"), D("2024-11-20")]
    first = items.get(occurrence_date=D("2024-02-10"))
    work_item_complete(actor=world.engineer, item=first, version=first.version, completed_on=D("2024-03-01"))
    # The moved one is still open, so it is the next occurrence: nothing new yet.
    assert dates(items.filter(status=S.OPEN)) == [D("2024-11-20")]
