"""The pure feature-value rules, without a database."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servanda.rules.featurevalues import FeatureSpec, FeatureValueError, check_value, check_values

SPECS = {
    t: FeatureSpec(key=t, label=t.title(), data_type=t, codes=("a", "b", "c"), reference_entity="party")
    for t in (
        "text",
        "integer",
        "decimal",
        "boolean",
        "date",
        "duration",
        "money",
        "choice",
        "multi_choice",
        "reference",
    )
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@given(data_type=st.sampled_from(sorted(SPECS)), value=json_values)
def test_accepted_values_are_json_and_stable(data_type: str, value: object) -> None:
    """Whatever is accepted is stored JSON-ready, and checking it again changes nothing."""
    spec = SPECS[data_type]
    try:
        out = check_value(spec, value)
    except FeatureValueError as exc:
        assert spec.label in str(exc)  # every refusal names the feature
        return
    assert json.loads(json.dumps(out)) == out
    assert check_value(spec, out) == out
    if data_type in {"integer", "reference"}:
        assert type(out) is int
    if data_type == "boolean":
        assert type(out) is bool


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9))
def test_money_amount_kept_as_decimal_text(amount: Decimal) -> None:
    out = check_value(SPECS["money"], {"amount": str(amount), "currency": "EUR"})
    assert Decimal(out["amount"]) == amount and "E" not in out["amount"]


@pytest.mark.parametrize("value", [True, False, "true", "1", 1.5, None])
def test_integer_never_bool_or_text(value: object) -> None:
    with pytest.raises(FeatureValueError):
        check_value(SPECS["integer"], value)


def test_boolean_only_true_false() -> None:
    assert check_value(SPECS["boolean"], True) is True
    for bad in ("true", "false", 0, 1, "yes"):
        with pytest.raises(FeatureValueError):
            check_value(SPECS["boolean"], bad)


def test_decimal_json_numbers() -> None:
    assert check_value(SPECS["decimal"], 10.0) == 10 and type(check_value(SPECS["decimal"], 10.0)) is int
    assert check_value(SPECS["decimal"], Decimal("2.5")) == 2.5
    with pytest.raises(FeatureValueError):
        check_value(SPECS["decimal"], float("inf"))


def test_check_values_reports_every_key_and_references() -> None:
    specs = [SPECS["integer"], SPECS["reference"], FeatureSpec("req", "Req", "text", required=True)]
    out, errors = check_values(
        specs,
        {"integer": "x", "reference": 7, "ghost": 1},
        existing_references=lambda entity, ids: {i for i in ids if i != 7},
    )
    assert set(errors) == {"integer", "reference", "ghost", "req"}
    assert "no party with id 7" in errors["reference"] and out == {}
