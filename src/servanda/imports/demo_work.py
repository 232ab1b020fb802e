"""Demo planned work: roles, and obligations on the generated maintenance contracts.

Anchors sit just before the day the demo is loaded, so "My work" shows a few
overdue visits and the planner the coming months — rather than every quarter
since 2015, which a first tick on old contracts would otherwise produce.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils import timezone

from servanda.contracts.models import Contract
from servanda.obligations.generation import schedule_generate
from servanda.obligations.models import Obligation
from servanda.obligations.services import obligation_create
from servanda.rules.periods import add_months_clamped
from servanda.work.models import Role, WorkItem
from servanda.work.services import role_create

FIELD_ROLE = "Service North field engineers"
DESK_ROLE = "Contracts desk"


def _role(*, actor: User, name: str, team: Group | None, members: list[User], notices: bool) -> Role:
    role = Role.objects.filter(name=name).first()
    if role is None:
        role = role_create(
            actor=actor,
            name=name,
            description="Demo role",
            team=team,
            receives_notice_reminders=notices,
            members=members,
        )
    return role


def ensure_demo_work(*, actor: User, team_name: str, today: dt.date | None = None) -> dict[str, Any]:
    """Roles and obligations for the demo maintenance contracts; idempotent."""
    today = today or timezone.localdate()
    team = Group.objects.filter(name=team_name).first()
    users = {u.username: u for u in User.objects.filter(username__in=["demo", "paul", "carla", "desk"])}
    field = _role(
        actor=actor,
        name=FIELD_ROLE,
        team=team,
        members=[u for k, u in users.items() if k in ("demo", "paul")],
        notices=False,
    )
    # No team: the desk takes the notice reminders of every contract, imported ones included
    # (they belong to no team), so no reminder is left without someone to act on it.
    _role(
        actor=actor,
        name=DESK_ROLE,
        team=None,
        members=[u for k, u in users.items() if k in ("demo", "carla")],
        notices=True,
    )
    first_of_month = today.replace(day=1)
    contracts = list(Contract.objects.filter(number__startswith="MC-2015-").order_by("number"))
    created = 0
    for i, contract in enumerate(contracts):
        if Obligation.objects.filter(contract=contract).exists():
            continue
        anchor = add_months_clamped(first_of_month, -2) + dt.timedelta(days=7 * i)
        obligation_create(
            actor=actor,
            contract=contract,
            description="Preventive maintenance visit",
            responsible_role=field,
            scope="installation",
            interval_unit="month",
            interval=3,
            anchor_date=anchor,
            lead_days=21,
            estimated_minutes=120,
            mode="anchored",
        )
        obligation_create(
            actor=actor,
            contract=contract,
            description="Quarterly service review with the customer",
            responsible_user=users.get("demo"),
            scope="contract",
            rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=TU;BYSETPOS=1",
            anchor_date=anchor,
            lead_days=14,
            estimated_minutes=60,
            mode="anchored",
        )
        if i == 0:
            obligation_create(
                actor=actor,
                contract=contract,
                description="Filter change",
                responsible_role=field,
                scope="contract",
                interval_unit="month",
                interval=1,
                anchor_date=today - dt.timedelta(days=3),
                lead_days=7,
                estimated_minutes=30,
                mode="floating",
            )
        created += 1
    schedule_generate(today=today, actor=actor)
    open_items = WorkItem.objects.filter(status=WorkItem.Status.OPEN).count()
    return {"contracts_with_new_obligations": created, "open_items": open_items}
