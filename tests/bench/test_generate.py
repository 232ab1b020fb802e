"""`servanda generate`: deterministic, set-wise data sets that the product itself accepts."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict

import pytest
from django.core.management import call_command

from servanda.contracts.models import Contract
from servanda.core.datagen.catalogue import CONTRACT_TYPE, FEATURES
from servanda.features.validation import definitions_for_contract_type, validate_feature_values
from servanda.installations.models import Coverage, Installation
from servanda.obligations.models import Obligation, Scope
from servanda.rules.periods import overlaps

pytestmark = pytest.mark.django_db


def generate(*args: str) -> dict:
    out = io.StringIO()
    call_command("generate", *args, "--quiet", stdout=out)
    return json.loads(out.getvalue())


def test_contracts_csv_is_deterministic_per_seed(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    generate("contracts-csv", "--count", "25", "--seed", "4", "--out", str(a))
    generate("contracts-csv", "--count", "25", "--seed", "4", "--out", str(b))
    generate("contracts-csv", "--count", "25", "--seed", "5", "--out", str(c))
    assert a.read_text() == b.read_text()
    assert a.read_text() != c.read_text()
    lines = a.read_text().splitlines()
    assert len(lines) == 26  # header + 25 rows
    assert (tmp_path / "a.mapping.yaml").exists()


def test_generated_contracts_carry_ten_valid_features():
    result = generate("contracts", "--count", "40", "--seed", "2")
    assert result["contracts"] == 40
    contracts = list(Contract.objects.select_related("contract_type"))
    assert len(contracts) == 40
    assert {c.contract_type.code for c in contracts} == {CONTRACT_TYPE}
    definitions = definitions_for_contract_type(contracts[0].contract_type)
    assert len(definitions) == len(FEATURES) == 10
    for contract in contracts:
        # The product's own validation must accept the stored shape unchanged.
        assert validate_feature_values(definitions=definitions, values=contract.features) == contract.features


def test_coverages_never_overlap_for_the_same_pair():
    result = generate("coverages", "--count", "200", "--seed", "3")
    assert Coverage.objects.count() == 200
    assert Installation.objects.count() == result["installations"] == 50
    periods = defaultdict(list)
    for cov in Coverage.objects.all():
        periods[(cov.contract_id, cov.installation_id)].append((cov.start, cov.end_excl))
    for spans in periods.values():
        for i, a in enumerate(spans):
            for b in spans[i + 1 :]:
                assert not overlaps(a[0], a[1], b[0], b[1])
    # Each installation has exactly one open-ended (current) coverage.
    open_ended = Coverage.objects.filter(end_excl__isnull=True).values_list("installation_id", flat=True)
    assert sorted(open_ended) == sorted(Installation.objects.values_list("id", flat=True))


def test_schedule_inputs_one_quarterly_obligation_per_contract():
    generate("schedule", "--count", "23", "--per-contract", "5", "--anchor", "2026-02-01")
    assert Installation.objects.count() == 23
    assert Contract.objects.count() == 5  # ceil(23 / 5)
    assert Coverage.objects.filter(start=dt.date(2026, 2, 1), end_excl__isnull=True).count() == 23
    obligations = list(Obligation.objects.all())
    assert len(obligations) == 5
    assert {(o.scope, o.interval_unit, o.interval) for o in obligations} == {(Scope.INSTALLATION, "month", 3)}
    per_contract = sorted(Coverage.objects.filter(contract_id=c.pk).count() for c in Contract.objects.all())
    assert per_contract == [3, 5, 5, 5, 5]


def test_count_must_be_positive():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate", "contracts", "--count", "0", "--quiet")
