"""Contract services: terms, validation, versions, events, termination, hook."""

from __future__ import annotations

from datetime import date

import pytest

from servanda.contracts.models import Contract
from servanda.contracts.selectors import contract_term_status
from servanda.contracts.services import contract_terminate, contract_update
from servanda.core.errors import Refused, ValidationFailed, VersionConflict, VersionRequired
from servanda.events.selectors import events_for
from tests.conftest import case_params
from tests.contracts.helpers import contract, contract_type, definition

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def ctype(personas):
    a = personas.admin
    return contract_type(
        a,
        defs=[
            definition(a, "voltage", "integer"),
            definition(a, "level", "choice", characteristics=[("gold", "Gold"), ("silver", "Silver")]),
        ],
    )


@pytest.mark.parametrize("case", case_params("date-rules.json", "period end"))
def test_end_date_is_the_inclusive_end_of_the_initial_term(personas, ctype, case) -> None:
    c = contract(
        personas.owner,
        ctype,
        commencement_date=D(case["input"]["commencement"]),
        initial_term=case["input"]["duration"],
    )
    assert Contract.objects.get(pk=c.pk).end_date == D(case["expected"]["end_inclusive"])


@pytest.mark.parametrize("case", case_params("date-rules.json", "notice deadline"))
def test_term_status_follows_renewals(personas, ctype, case) -> None:
    i = case["input"]
    c = contract(
        personas.owner,
        ctype,
        commencement_date=D(i["commencement"]),
        initial_term=i["initial_term"],
        renewal_term=i["renewal_term"],
        notice_period=i["notice"],
    )
    status = contract_term_status(Contract.objects.get(pk=c.pk), D(i["today"]))
    assert status.term is not None
    assert status.term.end == D(case["expected"]["current_term_end_inclusive"])
    assert status.notice_deadline == D(case["expected"]["notice_deadline"])


def test_open_ended_and_explicit_end(personas, ctype) -> None:
    open_c = contract(personas.owner, ctype, commencement_date=D("2020-01-01"))
    status = contract_term_status(open_c, D("2030-01-01"))
    assert status.open_ended and status.term is None and open_c.end_date is None
    fixed = contract(
        personas.owner,
        ctype,
        commencement_date=D("2020-01-01"),
        end_date=D("2020-06-30"),
        notice_period="P1M",
    )
    status = contract_term_status(fixed, D("2020-03-01"))
    assert status.term is not None and status.term.end == D("2020-06-30")
    assert status.notice_deadline == D("2020-05-31")
    assert contract_term_status(fixed, D("2020-07-01")).term is None  # expired, no renewal


def test_explicit_end_only_without_initial_term(personas, ctype) -> None:
    with pytest.raises(ValidationFailed) as exc:
        contract(
            personas.owner,
            ctype,
            commencement_date=D("2024-01-01"),
            initial_term="P1Y",
            end_date=D("2024-06-30"),
        )
    assert exc.value.errors[0].field == "end_date" and "2024-12-31" in exc.value.errors[0].message
    same = contract(
        personas.owner, ctype, commencement_date=D("2024-01-01"), initial_term="P1Y", end_date=D("2024-12-31")
    )
    assert same.end_date == D("2024-12-31")


def test_bad_input_lists_every_field(personas, ctype) -> None:
    with pytest.raises(ValidationFailed) as exc:
        contract(
            personas.owner,
            ctype,
            title="",
            status="gone",
            initial_term="2 years",
            notice_period="P0D",
            features={"voltage": "400", "level": "bronze"},
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"title", "status", "initial_term", "features.voltage", "features.level"}
    level = next(e.message for e in exc.value.errors if e.field == "features.level")
    assert "bronze" in level and "gold, silver" in level
    assert Contract.objects.count() == 0


def test_duplicate_number_refused(personas, ctype) -> None:
    contract(personas.owner, ctype, number="X-1")
    with pytest.raises(ValidationFailed) as exc:
        contract(personas.owner, ctype, number="X-1")
    assert exc.value.errors[0].field == "number"


def test_update_recomputes_end_and_records_field_and_feature_changes(personas, ctype) -> None:
    c = contract(
        personas.owner,
        ctype,
        commencement_date=D("2024-01-01"),
        initial_term="P1Y",
        features={"voltage": 230},
    )
    c = contract_update(
        actor=personas.colleague,
        contract=c,
        version=1,
        initial_term="P2Y",
        title="Renamed",
        features={"voltage": 400, "level": "gold"},
    )
    assert (c.version, c.end_date, c.features) == (2, D("2025-12-31"), {"voltage": 400, "level": "gold"})
    event = events_for(entity="contract", entity_id=c.pk).first()
    assert event.action == "updated" and event.actor == personas.colleague
    assert event.changes["end_date"] == {"old": "2024-12-31", "new": "2025-12-31"}
    assert event.changes["initial_term"] == {"old": "P1Y", "new": "P2Y"}
    assert event.changes["features.voltage"] == {"old": 230, "new": 400}
    assert event.changes["features.level"] == {"old": None, "new": "gold"}
    # a null removes a feature (merge patch); the event says so
    c = contract_update(actor=personas.owner, contract=c, version=2, features={"level": None})
    assert c.features == {"voltage": 400}
    assert events_for(entity="contract", entity_id=c.pk).first().changes == {
        "features.level": {"old": "gold", "new": None}
    }
    created = events_for(entity="contract", entity_id=c.pk).last()
    assert created.action == "created" and created.changes["features.voltage"] == {"old": None, "new": 230}


def test_dropping_the_initial_term_makes_it_open_ended(personas, ctype) -> None:
    c = contract(personas.owner, ctype, commencement_date=D("2024-01-01"), initial_term="P1Y")
    c = contract_update(actor=personas.owner, contract=c, version=1, initial_term="")
    assert c.end_date is None and contract_term_status(c, D("2026-01-01")).open_ended


def test_version_is_required_and_checked(personas, ctype) -> None:
    c = contract(personas.owner, ctype)
    with pytest.raises(VersionRequired):
        contract_update(actor=personas.owner, contract=c, version=None, title="x")
    with pytest.raises(ValidationFailed) as exc:
        contract_update(
            actor=personas.owner, contract=c, version=1, terminated_on=D("2020-01-01"), colour="red"
        )
    assert {e.field for e in exc.value.errors} == {"terminated_on", "colour"}


def test_lock_1_lost_update_refused(personas, ctype) -> None:
    """data-layer lock-1: both load version 1; A changes the title, B the notice period."""
    c = contract(
        personas.owner, ctype, commencement_date=D("2024-01-01"), initial_term="P1Y", notice_period="P1M"
    )
    a_copy, b_copy = Contract.objects.get(pk=c.pk), Contract.objects.get(pk=c.pk)
    contract_update(actor=personas.owner, contract=a_copy, version=a_copy.version, title="A's title")
    with pytest.raises(VersionConflict) as exc:
        contract_update(
            actor=personas.colleague, contract=b_copy, version=b_copy.version, notice_period="P3M"
        )
    assert exc.value.current.version == 2 and exc.value.current.title == "A's title"
    stored = Contract.objects.get(pk=c.pk)
    assert (stored.title, stored.notice_period, stored.version) == ("A's title", "P1M", 2)
    assert events_for(entity="contract", entity_id=c.pk).count() == 2  # created + A's update only


def test_terminate_cuts_the_term_and_coverage(personas, ctype) -> None:
    from servanda.installations.selectors import contracts_covering
    from servanda.installations.services import coverage_create, installation_create

    c = contract(
        personas.owner,
        ctype,
        commencement_date=D("2024-01-01"),
        initial_term="P1Y",
        renewal_term="P1Y",
        notice_period="P3M",
    )
    inst = installation_create(actor=personas.owner, serial_number="M-1")
    inst2 = installation_create(actor=personas.owner, serial_number="M-2")
    running = coverage_create(actor=personas.owner, contract=c, installation=inst, start=D("2024-01-01"))
    later = coverage_create(
        actor=personas.owner, contract=c, installation=inst2, start=D("2099-01-01"), end=D("2099-12-31")
    )
    c = contract_terminate(actor=personas.owner, contract=c, version=1, on=D("2025-06-30"))
    assert (c.status, c.terminated_on) == ("terminated", D("2025-06-30"))
    status = contract_term_status(c, D("2025-03-01"))
    assert status.term is not None and status.term.end == D("2025-06-30") and status.notice_deadline is None
    assert contract_term_status(c, D("2025-07-01")).term is None
    assert list(contracts_covering(installation_id=inst.pk, on=D("2025-06-30"))) == [c]
    assert list(contracts_covering(installation_id=inst.pk, on=D("2025-07-01"))) == []
    running.refresh_from_db()
    assert running.end_excl == D("2025-07-01")  # last covered day is the termination day
    assert not type(later).objects.filter(pk=later.pk).exists()  # never started: gone, with an event
    assert events_for(entity="coverage", entity_id=later.pk).first().action == "deleted"
    with pytest.raises(Refused):
        contract_terminate(actor=personas.owner, contract=c, version=c.version, on=D("2025-07-01"))


def test_termination_only_through_terminate_and_reinstating_clears_it(personas, ctype) -> None:
    c = contract(
        personas.owner, ctype, commencement_date=D("2024-01-01"), initial_term="P1Y", renewal_term="P1Y"
    )
    with pytest.raises(ValidationFailed) as exc:
        contract_update(actor=personas.owner, contract=c, version=1, status="terminated")
    assert exc.value.errors[0].field == "status"
    c = contract_terminate(actor=personas.owner, contract=c, version=1, on=D("2024-03-31"))
    c = contract_update(actor=personas.owner, contract=c, version=2, status="active")
    assert c.terminated_on is None
    status = contract_term_status(c, D("2025-06-01"))
    assert status.term is not None and status.term.end == D("2025-12-31")  # renewing again


def test_references_by_id_and_bad_ids_are_field_errors(personas, ctype) -> None:
    from servanda.parties.services import party_create

    p = party_create(actor=personas.owner, name="Acme", team=personas.team.pk)
    c = contract(personas.owner, ctype.pk, party=p.pk, team=personas.team.pk)
    assert (c.contract_type, c.party, c.team) == (ctype, p, personas.team)
    with pytest.raises(ValidationFailed) as exc:
        contract(personas.owner, 999_999, party="x", parent=888_888)
    assert {e.field for e in exc.value.errors} == {"contract_type", "party", "parent"}
    with pytest.raises(ValidationFailed) as exc:
        contract_update(actor=personas.owner, contract=c, version=1, party=777_777)
    assert [e.field for e in exc.value.errors] == ["party"]
    c = contract_update(actor=personas.owner, contract=c, version=1, party=None)
    assert c.party is None
