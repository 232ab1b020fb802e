"""The data-layer cases (csv-1 … csv-4, xlsx-1) and date rules (import-1 … 3) through `servanda import`."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from servanda.contracts.models import Contract
from servanda.parties.models import Party
from tests.conftest import load_cases

from .conftest import CONTRACT_SETUP

pytestmark = pytest.mark.django_db(transaction=False)

CASES = {c["id"]: c for c in load_cases("data-layer.json") + load_cases("date-rules.json")}


def case(case_id: str) -> dict:
    if case_id not in CASES:
        pytest.skip(f"case {case_id} not found in ../shared/cases")
    return CASES[case_id]


BASIC = (
    """
entity = "contracts"
[constants]
contract_type = "service"
[fields]
number = "number"
title = "title"
"""
    + CONTRACT_SETUP
)


def test_csv1_byte_order_mark(importer):
    c = case("csv-1")
    raw = bytes.fromhex(c["input"]["bytes_hex_prefix"]) + c["input"]["text"].encode("utf-8")
    summary, ok = importer.run("contracts", importer.file("bom.csv", raw), BASIC)
    assert ok and summary["created"] == 1
    # The first column is found by its plain name: the BOM is not part of it.
    assert Contract.objects.get().number == "C-1"


def test_csv2_declared_decimal_comma(importer):
    c = case("csv-2")
    lines = ["number;title;price"] + [f"C-{i};Row {i};{v}" for i, v in enumerate(c["input"]["values"])]
    mapping = (
        f'delimiter = "{c["input"]["delimiter"]}"\n'
        + BASIC
        + f"""
[features.price]
column = "price"
type = "decimal"
decimal = "{c["input"]["decimal"]}"
thousands = "{c["input"]["thousands"]}"
"""
    )
    summary, ok = importer.run("contracts", importer.file("dec.csv", "\n".join(lines)), mapping)
    assert ok, summary
    prices = [Contract.objects.get(number=f"C-{i}").features["price"] for i in range(len(lines) - 1)]
    from decimal import Decimal

    assert [Decimal(str(p)) for p in prices] == [Decimal(v) for v in c["expected"]["values"]]


IDS_MAPPING = BASIC.replace(
    'number = "number"', 'number = { column = "original_contract_id", type = "identifier" }'
)


def test_csv3_identifiers_keep_leading_zeros_csv(importer):
    c = case("csv-3")
    text = "original_contract_id,title\n" + "\n".join(f"{v},Item" for v in c["input"]["values"])
    summary, ok = importer.run("contracts", importer.file("ids.csv", text), IDS_MAPPING)
    assert ok, summary
    assert sorted(Contract.objects.values_list("number", flat=True)) == c["expected"]["values"]


def test_csv3_identifiers_keep_leading_zeros_xlsx(importer, tmp_path):
    c = case("csv-3")
    book = Workbook()
    ws = book.active
    ws.append(["original_contract_id", "title"])
    for i, v in enumerate(c["input"]["values"], start=2):
        ws.append([int(v), "Item"])  # a number, shown zero-padded by its format
        ws.cell(row=i, column=1).number_format = "0" * len(v)
    path = tmp_path / "ids.xlsx"
    book.save(path)
    summary, ok = importer.run("contracts", path, IDS_MAPPING)
    assert ok, summary
    assert sorted(Contract.objects.values_list("number", flat=True)) == c["expected"]["values"]


def test_csv4_duplicate_header_names_import_nothing(importer):
    c = case("csv-4")
    mapping = 'entity = "parties"\nkey = "name"\n[fields]\nname = "name"\n'
    summary, ok = importer.run("parties", importer.file("dup.csv", c["input"]["text"]), mapping)
    assert not ok
    assert repr(c["expected"]["error names the column"]) in summary["error"]
    assert Party.objects.count() == c["expected"]["rows imported"]


def test_xlsx1_serial_dates_and_the_phantom_leap_day(importer, tmp_path):
    c = case("xlsx-1")
    book = Workbook()
    ws = book.active
    ws.append(["number", "title", "start"])
    serials = [*c["input"]["serials"], 60]
    for i, s in enumerate(serials):
        ws.append([f"C-{i}", "Item", s])
        ws.cell(row=i + 2, column=3).number_format = "yyyy-mm-dd"
    path = tmp_path / "serials.xlsx"
    book.save(path)
    mapping = (
        BASIC + '[fields.commencement_date]\ncolumn = "start"\ntype = "date"\nformats = ["yyyy-mm-dd"]\n'
    )
    summary, ok = importer.run("contracts", path, mapping, "--lenient")
    assert ok, summary
    got = [
        str(Contract.objects.get(number=f"C-{i}").commencement_date)
        for i in range(len(c["input"]["serials"]))
    ]
    assert got == c["expected"]["dates"]
    bad_row = len(serials) + 1
    assert [(r["row"], r["column"]) for r in summary["rejected"]] == [(bad_row, "start")]
    assert f"C{bad_row}" in summary["rejected"][0]["reason"]


def test_import1_two_digit_birth_year_through_a_party_import(importer):
    c = case("import-1")
    text = f"ref,name,born\nP-1,Anna,{c['input']['value']}\n"
    mapping = f"""
entity = "parties"
key = "reference"
[fields]
reference = "ref"
name = "name"
[fields.birth_date]
column = "born"
type = "date"
formats = ["{c["input"]["format"]}"]
century = "past"
"""
    summary, ok = importer.run("parties", importer.file("people.csv", text), mapping)
    assert ok, summary
    assert Party.objects.get(reference="P-1").birth_date == dt.date.fromisoformat(c["expected"]["date"])


@pytest.mark.parametrize("case_id", ["import-2", "import-3"])
def test_declared_formats_through_a_contract_import(importer, case_id):
    c = case(case_id)
    text = f"number,title,start\nC-1,Item,{c['input']['value']}\n"
    mapping = (
        BASIC
        + f'[fields.commencement_date]\ncolumn = "start"\ntype = "date"\nformats = ["{c["input"]["format"]}"]\n'
    )
    summary, ok = importer.run("contracts", importer.file("dates.csv", text), mapping)
    assert ok, summary
    assert Contract.objects.get().commencement_date == dt.date.fromisoformat(c["expected"]["date"])
