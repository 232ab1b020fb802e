"""Feature values against their definitions: one error per bad feature, named `features.<key>`."""

from __future__ import annotations

from datetime import date

import pytest

from servanda.core.errors import ValidationFailed
from servanda.features.validation import validate_feature_values
from tests.contracts.helpers import definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def defs(personas):
    a = personas.admin
    return [
        definition(a, "name", "text"),
        definition(a, "count", "integer"),
        definition(a, "ratio", "decimal"),
        definition(a, "flag", "boolean"),
        definition(a, "since", "date"),
        definition(a, "warranty", "duration"),
        definition(a, "price", "money"),
        definition(a, "level", "choice", characteristics=[("gold", "Gold"), ("silver", "Silver")]),
        definition(a, "tags", "multi_choice", characteristics=[("a", "A"), ("b", "B")]),
        definition(a, "other", "reference", reference_entity="party"),
    ]


def errors_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.message for e in exc.value.errors}


def test_good_values_are_normalized(defs, personas) -> None:
    from servanda.parties.services import party_create

    p = party_create(actor=personas.admin, name="Acme")
    out = validate_feature_values(
        definitions=defs,
        values={
            "name": "x",
            "count": 3,
            "ratio": 2.5,
            "flag": False,
            "since": date(2024, 2, 29),
            "warranty": "p12m",
            "price": {"amount": "1234.50", "currency": "EUR"},
            "level": "gold",
            "tags": ["b", "a"],
            "other": p.pk,
        },
    )
    assert out["since"] == "2024-02-29"
    assert out["warranty"] == "P1Y"  # 12 months is a year, canonical ISO
    assert out["price"] == {"amount": "1234.50", "currency": "EUR"}
    assert out["flag"] is False and out["count"] == 3 and out["tags"] == ["b", "a"]


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("count", True, "whole number"),
        ("count", "400", "whole number"),
        ("ratio", "2.5", "number"),
        ("flag", "true", "true or false"),
        ("flag", 1, "true or false"),
        ("since", "03/01/2024", "YYYY-MM-DD"),
        ("since", "2023-02-29", "not a date"),
        ("warranty", "2 years", "ISO 8601"),
        ("price", {"amount": "abc", "currency": "EUR"}, "decimal"),
        ("price", {"amount": "1", "currency": "euro"}, "currency"),
        ("price", "12.50", "money"),
        ("level", "bronze", "gold, silver"),
        ("tags", ["a", "zz"], "'zz'"),
        ("tags", ["a", "a"], "twice"),
        ("other", 999999, "no party"),
        ("name", 5, "text"),
    ],
)
def test_wrong_values_name_the_feature(defs, key, value, words) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_feature_values(definitions=defs, values={key: value})
    errs = errors_of(exc)
    assert list(errs) == [f"features.{key}"]
    assert key in errs[f"features.{key}"] and words in errs[f"features.{key}"]


def test_every_bad_feature_is_reported_at_once(defs) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_feature_values(definitions=defs, values={"count": "x", "flag": "true", "nope": 1})
    errs = errors_of(exc)
    assert set(errs) == {"features.count", "features.flag", "features.nope"}
    assert "unknown feature 'nope'" in errs["features.nope"]


def test_required_and_default(personas) -> None:
    a = personas.admin
    req = definition(a, "voltage", "integer", required=True)
    dflt = definition(a, "phase", "choice", default="3", characteristics=[("1", "Single"), ("3", "Three")])
    with pytest.raises(ValidationFailed) as exc:
        validate_feature_values(definitions=[req, dflt], values={})
    assert "required" in errors_of(exc)["features.voltage"]
    assert validate_feature_values(definitions=[req, dflt], values={"voltage": 400}) == {
        "voltage": 400,
        "phase": "3",
    }
    assert validate_feature_values(
        definitions=[req, dflt], values={"voltage": 400}, apply_defaults=False
    ) == {"voltage": 400}
    # partial: only the given keys, a null means "remove"
    assert validate_feature_values(definitions=[req, dflt], values={"phase": None}, partial=True) == {
        "phase": None
    }
