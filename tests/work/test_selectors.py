"""My work, role queues and the planner, as the pages read them."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from servanda.work.models import WorkItem
from servanda.work.selectors import my_work_items, planner_items, role_queue
from servanda.work.services import work_item_claim, work_item_reassign
from tests.obligations.conftest import DAY0, World

D = date.fromisoformat


def test_my_work_has_mine_and_my_roles_overdue_first(world: World) -> None:
    c = world.contract()
    world.cover(c, world.machine("SN-1"), DAY0)
    world.cover(c, world.machine("SN-2"), D("2024-03-01"))
    today = D("2024-03-10")
    items = list(my_work_items(world.engineer, today=today))
    # Visible from due − 14 days: the two first occurrences, earliest (overdue) first.
    assert [i.due_date for i in items] == [D("2024-01-01"), D("2024-03-01")]
    first = items[0]
    work_item_claim(actor=world.engineer, item=first, version=first.version)
    assert [i.due_date for i in role_queue(world.role, today=today)] == [D("2024-03-01")]
    assert [i.due_date for i in my_work_items(world.engineer, today=today)] == [
        D("2024-01-01"),
        D("2024-03-01"),
    ]
    other = User.objects.create_user(username="other", password="x-pw-12345")
    assert list(my_work_items(other, today=today)) == []


def test_planner_by_person_and_role(world: World) -> None:
    c = world.contract()
    world.cover(c, world.machine("SN-1"), DAY0)
    item = WorkItem.objects.get(due_date=D("2024-07-01"))
    work_item_reassign(actor=world.admin, item=item, version=item.version, user=world.engineer)
    assert [
        i.pk
        for i in planner_items(world.admin, start=D("2024-06-01"), end=D("2024-07-31"), user=world.engineer)
    ] == [item.pk]
    in_role = planner_items(world.admin, start=D("2024-01-01"), end=D("2025-12-31"), role=world.role)
    assert item.pk not in {i.pk for i in in_role}  # reassigned to a person only
    assert in_role.count() == 3
