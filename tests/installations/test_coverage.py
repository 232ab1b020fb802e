"""Coverage: half-open storage, inclusive API, the same pair never overlaps itself (cover-1..3)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection

from servanda.contracts.models import Contract
from servanda.core.errors import ValidationFailed, VersionConflict
from servanda.events.selectors import events_for
from servanda.installations.models import Coverage, Installation
from servanda.installations.selectors import (
    _COVERING_IDS_SQL,
    contracts_covering,
    coverage_history,
    coverages_of_contract,
    coverages_on,
    covering_contract_ids,
    installations_covered_by,
)
from servanda.installations.services import (
    coverage_create,
    coverage_delete,
    coverage_end,
    coverage_update,
    installation_create,
)
from tests.conftest import case_params
from tests.contracts.helpers import contract, contract_type

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def world(personas):
    ctype = contract_type(personas.admin)
    return (
        contract(personas.owner, ctype, number="W-1"),
        contract(personas.owner, ctype, number="M-1"),
        installation_create(actor=personas.owner, serial_number="SN-1"),
        installation_create(actor=personas.owner, serial_number="SN-2"),
    )


@pytest.mark.parametrize("case", case_params("date-rules.json", "last day of coverage"))
def test_last_day_of_coverage(personas, world, case) -> None:
    c, _, inst, _ = world
    start, end = (D(x) for x in case["input"]["coverage"])
    cov = coverage_create(actor=personas.owner, contract=c, installation=inst, start=start, end=end)
    assert cov.end_excl == end + timedelta(days=1)  # stored half-open
    got = [bool(list(contracts_covering(installation_id=inst.pk, on=D(day)))) for day in case["input"]["ask"]]
    assert got == case["expected"]["covered"]
    # The id form (used by the API and pages) and the ORM form answer the same.
    got = [bool(covering_contract_ids(installation_id=inst.pk, on=D(day))) for day in case["input"]["ask"]]
    assert got == case["expected"]["covered"]
    got = [coverages_on(D(day)).filter(installation=inst).exists() for day in case["input"]["ask"]]
    assert got == case["expected"]["covered"]
    got = [bool(list(installations_covered_by(contract_id=c.pk, on=D(day)))) for day in case["input"]["ask"]]
    assert got == case["expected"]["covered"]


@pytest.mark.parametrize("case", case_params("date-rules.json", ("overlap", "back-to-back")))
def test_same_pair_never_overlaps_itself(personas, world, case) -> None:
    c, other, inst, _ = world
    a, b = (tuple(D(x) for x in case["input"][k]) for k in ("a", "b"))
    coverage_create(actor=personas.owner, contract=c, installation=inst, start=a[0], end=a[1])
    if case["expected"]["overlap"]:
        with pytest.raises(ValidationFailed) as exc:
            coverage_create(actor=personas.owner, contract=c, installation=inst, start=b[0], end=b[1])
        assert "overlap" in exc.value.errors[0].message
        assert Coverage.objects.filter(contract=c, installation=inst).count() == 1
    else:
        coverage_create(actor=personas.owner, contract=c, installation=inst, start=b[0], end=b[1])
        assert Coverage.objects.filter(contract=c, installation=inst).count() == 2
    # another contract may always cover the same machine at the same time (warranty + maintenance)
    coverage_create(actor=personas.owner, contract=other, installation=inst, start=b[0], end=b[1])


def test_open_ended_overlaps_everything_after_its_start(personas, world) -> None:
    c, _, inst, _ = world
    coverage_create(actor=personas.owner, contract=c, installation=inst, start=D("2024-01-01"))
    with pytest.raises(ValidationFailed):
        coverage_create(
            actor=personas.owner, contract=c, installation=inst, start=D("2090-01-01"), end=D("2090-01-01")
        )
    coverage_create(
        actor=personas.owner, contract=c, installation=inst, start=D("2023-01-01"), end=D("2023-12-31")
    )


def test_start_after_end_refused(personas, world) -> None:
    c, _, inst, _ = world
    with pytest.raises(ValidationFailed) as exc:
        coverage_create(
            actor=personas.owner, contract=c, installation=inst, start=D("2024-02-01"), end=D("2024-01-31")
        )
    assert exc.value.errors[0].field == "end"
    one_day = coverage_create(
        actor=personas.owner, contract=c, installation=inst, start=D("2024-02-01"), end=D("2024-02-01")
    )
    assert one_day.end_excl == D("2024-02-02")  # a one-day coverage is valid
    assert [x.pk for x in contracts_covering(installation_id=inst.pk, on=D("2024-02-01"))] == [c.pk]


def test_several_contracts_and_history(personas, world) -> None:
    warranty, maintenance, inst, inst2 = world
    coverage_create(
        actor=personas.owner, contract=warranty, installation=inst, start=D("2024-01-01"), end=D("2024-12-31")
    )
    cov = coverage_create(
        actor=personas.owner, contract=maintenance, installation=inst, start=D("2024-06-01")
    )
    coverage_create(actor=personas.owner, contract=maintenance, installation=inst2, start=D("2024-06-01"))
    on = D("2024-07-01")
    assert sorted(c.number for c in contracts_covering(installation_id=inst.pk, on=on)) == ["M-1", "W-1"]
    assert sorted(c.number for c in contracts_covering(installation_id=inst.pk, on=D("2025-01-01"))) == [
        "M-1"
    ]
    assert sorted(i.serial_number for i in installations_covered_by(contract_id=maintenance.pk, on=on)) == [
        "SN-1",
        "SN-2",
    ]
    cov = coverage_end(actor=personas.owner, coverage=cov, version=1, end=D("2025-03-31"))
    assert cov.end_excl == D("2025-04-01")
    assert [(h.contract.number, h.start, h.end_excl) for h in coverage_history(installation_id=inst.pk)] == [
        ("W-1", D("2024-01-01"), D("2025-01-01")),
        ("M-1", D("2024-06-01"), D("2025-04-01")),
    ]
    assert coverages_of_contract(maintenance.pk).count() == 2
    ev = events_for(entity="coverage", entity_id=cov.pk).first()
    assert ev.changes == {"end": {"old": None, "new": "2025-03-31"}}  # inclusive end in the trail


def test_update_checks_version_and_overlap(personas, world) -> None:
    c, _, inst, _ = world
    first = coverage_create(
        actor=personas.owner, contract=c, installation=inst, start=D("2024-01-01"), end=D("2024-06-30")
    )
    second = coverage_create(
        actor=personas.owner, contract=c, installation=inst, start=D("2024-07-01"), end=D("2024-12-31")
    )
    with pytest.raises(ValidationFailed):
        coverage_update(actor=personas.owner, coverage=first, version=1, end=D("2024-07-01"))
    coverage_update(actor=personas.owner, coverage=first, version=1, note="renewed")
    with pytest.raises(VersionConflict):
        coverage_update(actor=personas.owner, coverage=first, version=1, note="stale")
    coverage_delete(actor=personas.owner, coverage=second)
    assert events_for(entity="coverage", entity_id=second.pk).first().action == "deleted"
    coverage_update(actor=personas.owner, coverage=first, version=2, end=D("2024-07-01"))


def test_covering_rows_are_whole_contracts_by_number(personas, world) -> None:
    w, m, inst, _ = world
    for c in (w, m):
        coverage_create(actor=personas.owner, contract=c, installation=inst, start=D("2024-01-01"), end=None)
    got = contracts_covering(installation_id=inst.pk, on=D("2024-06-01"))
    assert [c.number for c in got] == ["M-1", "W-1"]
    fresh = {c.pk: c for c in Contract.objects.filter(pk__in=[w.pk, m.pk])}
    for c in got:
        want = fresh[c.pk]
        assert [getattr(c, f.attname) for f in Contract._meta.concrete_fields] == [
            getattr(want, f.attname) for f in Contract._meta.concrete_fields
        ]


def test_covering_lookup_uses_the_installation_period_index(world) -> None:
    _, _, inst, _ = world
    sql = _COVERING_IDS_SQL
    if connection.vendor == "postgresql":
        # PostgreSQL plans from statistics: give it a table where installations are
        # selective (200 of them, one coverage each) and fresh statistics, as autovacuum would.
        covering = world[0]
        extra = Installation.objects.bulk_create([Installation(serial_number=f"X-{i}") for i in range(200)])
        Coverage.objects.bulk_create(
            [Coverage(contract=covering, installation=x, start=D("2020-01-01")) for x in extra]
        )
    with connection.cursor() as cursor:
        explain = "EXPLAIN QUERY PLAN "
        if connection.vendor == "postgresql":
            explain = "EXPLAIN "
            cursor.execute(f'ANALYZE "{Coverage._meta.db_table}"')
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned
        cursor.execute(explain + sql, [inst.pk, D("2024-01-01"), D("2024-01-01")])
        plan = " ".join(str(col) for row in cursor.fetchall() for col in row)
    if connection.vendor == "postgresql":
        # Without statistics PostgreSQL costs the FK index on installation_id the same as the
        # composite; either way the rows come from an index led by installation_id, not a scan.
        assert "Seq Scan" not in plan and re.search(r"Index.* on installations_coverage", plan)
        assert "installation_id = " in plan and "Index Cond" in plan
    else:
        assert "coverage_inst_period" in plan
