"""Strict, lenient, dry run, re-import, placeholders and coverage through `servanda import`."""

from __future__ import annotations

import datetime as dt

import pytest

from servanda.contracts.models import Contract
from servanda.events.models import Event
from servanda.installations.models import Coverage, Installation

from .conftest import CONTRACT_SETUP

pytestmark = pytest.mark.django_db

MAPPING = (
    """
entity = "contracts"
[constants]
contract_type = "service"
status = "active"
[fields]
number = "number"
title = "title"
[fields.commencement_date]
column = "start"
type = "date"
formats = ["dd/mm/yyyy"]
[fields.renewal_term]
column = "renewal"
type = "duration"
[fields.end_date]
column = "end"
type = "date"
formats = ["dd/mm/yyyy"]
open_ended = true
[features.price]
column = "price"
type = "decimal"
"""
    + CONTRACT_SETUP
)

GOOD = "number,title,start,end,renewal,price\nC-1,One,01/01/2024,31/12/2024,successive 1 year,10.50\nC-2,Two,01/02/2024,perpetual,,7\n"
BAD = GOOD + "C-3,Three,31/02/2024,,,1\nC-4,Four,01/01/2024,31/12/2023,,x\nC-5,Five,01/01/2024,,soon,2\n"


def test_strict_commits_nothing_and_lists_every_bad_row(importer):
    summary, ok = importer.run("contracts", importer.file("bad.csv", BAD), MAPPING)
    assert not ok
    assert Contract.objects.count() == 0
    rows = {(r["row"], r["column"]) for r in summary["rejected"]}
    assert rows == {(4, "start"), (5, "end"), (5, "price"), (6, "renewal")}
    assert any("'soon'" in r["reason"] for r in summary["rejected"])


def test_lenient_commits_the_good_rows(importer):
    summary, ok = importer.run("contracts", importer.file("bad.csv", BAD), MAPPING, "--lenient")
    assert ok
    assert sorted(Contract.objects.values_list("number", flat=True)) == ["C-1", "C-2"]
    assert summary["created"] == 2 and {r["row"] for r in summary["rejected"]} == {4, 5, 6}


def test_dry_run_writes_nothing(importer):
    summary, ok = importer.run("contracts", importer.file("good.csv", GOOD), MAPPING, "--dry-run")
    assert ok and summary["created"] == 2 and not summary["committed"]
    assert Contract.objects.count() == 0
    assert Event.objects.count() == 0


def test_terms_perpetual_and_events(importer):
    importer.run("contracts", importer.file("good.csv", GOOD), MAPPING)
    one, two = Contract.objects.get(number="C-1"), Contract.objects.get(number="C-2")
    assert (one.end_date, one.renewal_term) == (dt.date(2024, 12, 31), "P1Y")
    assert two.end_date is None and two.initial_term == "" and two.renewal_term == ""  # open-ended
    assert one.features == {"price": 10.5}
    created = Event.objects.get(entity="contract", entity_id=one.pk, action="created")
    assert created.changes["features.price"]["new"] == 10.5


def test_reimport_changes_nothing_then_an_edit_is_one_update(importer):
    data = importer.file("good.csv", GOOD)
    importer.run("contracts", data, MAPPING)
    events = Event.objects.count()
    summary, ok = importer.run("contracts", data, MAPPING)
    assert ok and (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 2)
    assert Event.objects.count() == events
    changed = importer.file("good.csv", GOOD.replace("10.50", "12"))
    summary, ok = importer.run("contracts", changed, MAPPING)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 1, 1)
    one = Contract.objects.get(number="C-1")
    assert one.features["price"] == 12 and one.version == 2
    update = Event.objects.get(entity="contract", entity_id=one.pk, action="updated")
    assert update.changes == {"features.price": {"old": 10.5, "new": 12}}


PARENTS = (
    """
entity = "contracts"
[constants]
contract_type = "service"
[fields]
number = { column = "item", type = "identifier" }
parent = { column = "original", type = "identifier", placeholder = true }
title = "title"
"""
    + CONTRACT_SETUP
)


def test_items_hang_under_their_original_or_a_placeholder(importer):
    text = "item,original,title\n0100-01,0100,Renewal\n0100,0100,Original\n0200-01,0200,Amendment\n0200-02,0200,Renewal 2\n"
    summary, ok = importer.run("contracts", importer.file("items.csv", text), PARENTS)
    assert ok and summary["created"] == 4 and summary["placeholders"] == 1
    assert Contract.objects.get(number="0100-01").parent.number == "0100"
    assert Contract.objects.get(number="0100").parent is None
    placeholder = Contract.objects.get(number="0200")
    assert placeholder.is_placeholder
    assert sorted(placeholder.children.values_list("number", flat=True)) == ["0200-01", "0200-02"]
    again, _ = importer.run("contracts", importer.file("items.csv", text), PARENTS)
    assert (again["created"], again["unchanged"], again["placeholders"]) == (0, 4, 0)


COVERAGE = """
entity = "coverages"
[fields]
contract = "contract"
installation = "serial"
start = { column = "start", type = "date", formats = ["yyyy-mm-dd"] }
end = { column = "end", type = "date", formats = ["yyyy-mm-dd"] }
"""


def test_coverage_of_the_same_pair_never_overlaps(importer):
    importer.run("contracts", importer.file("good.csv", GOOD), MAPPING)
    Installation.objects.create(serial_number="M-1")
    text = (
        "contract,serial,start,end\nC-1,M-1,2024-01-01,2024-06-30\nC-1,M-1,2024-06-01,\nC-2,M-1,2024-03-01,\n"
    )
    summary, ok = importer.run("coverages", importer.file("cov.csv", text), COVERAGE, "--lenient")
    assert [(r["row"], r["column"]) for r in summary["rejected"]] == [(3, "start")]
    first = Coverage.objects.get(contract__number="C-1")
    assert (first.start, first.end_excl) == (dt.date(2024, 1, 1), dt.date(2024, 7, 1))
    assert Coverage.objects.count() == 2
