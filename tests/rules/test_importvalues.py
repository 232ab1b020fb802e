"""Import value rules (DESIGN.md convention 9), checked against ../shared/cases and the rules' own laws."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servanda.rules.durations import CalendarDuration
from servanda.rules.importvalues import (
    OPEN_ENDED,
    ImportValueError,
    decimal_text,
    excel_number_text,
    excel_serial_to_date,
    format_date,
    parse_date,
    parse_decimal,
    parse_duration_text,
    years_before,
)
from tests.conftest import case_params

TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize("case", case_params("date-rules.json", ("two-digit year", "declared")))
def test_date_rule_cases(case):
    given_ = case["input"]
    century = "past" if given_.get("field_kind") == "birth date" else "pivot"
    found = parse_date(given_["value"], [given_["format"]], century=century, today=TODAY)
    assert found == dt.date.fromisoformat(case["expected"]["date"])


@pytest.mark.parametrize("case", case_params("data-layer.json", "Excel serial"))
def test_excel_serials(case):
    dates = [excel_serial_to_date(s, cell=f"A{i}") for i, s in enumerate(case["input"]["serials"], start=2)]
    assert dates == [dt.date.fromisoformat(d) for d in case["expected"]["dates"]]
    with pytest.raises(ImportValueError, match=r"cell B7.*60"):
        excel_serial_to_date(60, cell="B7")


@pytest.mark.parametrize("case", case_params("data-layer.json", "declared decimal"))
def test_declared_decimal_separators(case):
    given_ = case["input"]
    found = [
        decimal_text(parse_decimal(v, decimal=given_["decimal"], thousands=given_["thousands"]))
        for v in given_["values"]
    ]
    assert found == case["expected"]["values"]


@pytest.mark.parametrize("case", case_params("data-layer.json", "identifiers"))
def test_zero_padded_numeric_cells_keep_leading_zeros(case):
    numbers = [int(v) for v in case["input"]["values"]]
    width = len(case["input"]["values"][0])
    assert [excel_number_text(n, "0" * width) for n in numbers] == case["expected"]["values"]


def test_day_and_month_first_are_never_guessed():
    assert parse_date("07/03/2024", ["dd/mm/yyyy"]) == dt.date(2024, 3, 7)
    assert parse_date("07/03/2024", ["mm/dd/yyyy"]) == dt.date(2024, 7, 3)
    with pytest.raises(ImportValueError, match="13/01/2024"):
        parse_date("13/01/2024", ["mm/dd/yyyy"])


def test_formats_are_tried_in_order():
    formats = ["iso", "m/d/yyyy", "m/d/yy"]
    assert parse_date("2012-07-11T16:21:27Z", formats) == dt.date(2012, 7, 11)
    assert parse_date("7/1/2015", formats) == dt.date(2015, 7, 1)
    assert parse_date("7/1/14", formats) == dt.date(2014, 7, 1)


def test_partial_dates_are_rejected_quoting_the_text():
    for text in ["[]/[]/2020", "04/[]/2013", "09/14/200[]"]:
        with pytest.raises(ImportValueError) as err:
            parse_date(text, ["m/d/yyyy"])
        assert repr(text) in str(err.value)


def test_a_date_outside_the_calendar_is_rejected():
    with pytest.raises(ImportValueError, match="not a day in the calendar"):
        parse_date("2/30/2020", ["m/d/yyyy"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 years", CalendarDuration(months=24)),
        ("successive 1 year", CalendarDuration(months=12)),
        ("12 months", CalendarDuration(months=12)),
        ("60) days", CalendarDuration(days=60)),
        ("one (1) year", CalendarDuration(months=12)),
        ("thirty (30) days", CalendarDuration(days=30)),
        ("(6) months", CalendarDuration(months=6)),
        ("3 successive 1 year", CalendarDuration(months=12)),
        ("succesive 1 year", CalendarDuration(months=12)),
        ("4 years, 6 months", CalendarDuration(months=54)),
        ("0.5 year", CalendarDuration(months=6)),
        ("6 weeks", CalendarDuration(days=42)),
    ],
)
def test_free_text_durations(text, expected):
    assert parse_duration_text(text) == expected


def test_perpetual_is_open_ended():
    assert parse_duration_text("perpetual") is OPEN_ENDED
    assert parse_duration_text("Perpetual") is OPEN_ENDED


@pytest.mark.parametrize(
    "text",
    [
        "6 months; 12 months",
        "successive [] years",
        "2 5 years",
        "perpetual, 11/15/2014",
        "soon",
        "1.5 months",
    ],
)
def test_unreadable_durations_are_rejected_quoting_the_text(text):
    with pytest.raises(ImportValueError) as err:
        parse_duration_text(text)
    assert repr(text) in str(err.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" -   ", "0"),
        ("-", "0"),
        (" 12,345.67 ", "12345.67"),
        ("-1,234.50", "-1234.50"),
        ("(999,999.99)", "-999999.99"),
        ("1.1E7", "11000000"),
        ("32000", "32000"),
    ],
)
def test_philadelphia_amounts(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["9.99999999.99", "1,23", "12a", ""])
def test_malformed_amounts_are_rejected(text):
    with pytest.raises(ImportValueError):
        parse_decimal(text)


def test_money_rounds_float_artefacts_to_cents():
    assert decimal_text(parse_decimal("9999999.9999999999", places=2)) == "10000000.00"


def test_age_to_date():
    assert years_before(dt.date(2014, 6, 1), 18) == dt.date(1996, 6, 1)
    assert years_before(dt.date(2016, 2, 29), 1) == dt.date(2015, 2, 28)


# -- laws

FOUR_DIGIT = ["m/d/yyyy", "mm/dd/yyyy", "dd/mm/yyyy", "d.m.yyyy", "yyyy-mm-dd", "iso"]


@given(day=st.dates(min_value=dt.date(1000, 1, 1)), spec=st.sampled_from(FOUR_DIGIT))
def test_format_then_parse_is_the_identity(day, spec):
    assert parse_date(format_date(day, spec), [spec]) == day


@given(day=st.dates(min_value=dt.date(1927, 12, 4), max_value=TODAY))
def test_two_digit_birth_years_are_never_in_the_future(day):
    found = parse_date(format_date(day, "dd/mm/yy"), ["dd/mm/yy"], century="past", today=TODAY)
    assert found <= TODAY
    assert found == day  # within the last hundred years the reading is exact


@given(day=st.dates(min_value=dt.date(1969, 1, 1), max_value=dt.date(2068, 12, 31)))
def test_two_digit_pivot_reads_1969_to_2068(day):
    assert parse_date(format_date(day, "d/m/yy"), ["d/m/yy"]) == day


@given(
    number=st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    marks=st.sampled_from([(".", ","), (",", "."), (",", " "), (".", "")]),
)
def test_decimal_with_separators_round_trips(number, marks):
    decimal, thousands = marks
    whole, frac = f"{abs(number):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", thousands) if thousands else whole
    text = f"{'-' if number < 0 else ''}{grouped}{decimal}{frac}"
    assert parse_decimal(text, decimal=decimal, thousands=thousands) == number


@given(months=st.integers(1, 600), unit=st.sampled_from(["month", "months"]))
def test_month_durations_round_trip(months, unit):
    assert parse_duration_text(f"{months} {unit}") == CalendarDuration(months=months)
