"""The schedule data set: contracts each covering N installations, each with a quarterly obligation.

Only the inputs of generation are written here; the work items are Servanda's to make
(`servanda tick`, or `obligations.generation`), which is what the benchmark measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from servanda.installations.models import Coverage
from servanda.obligations.models import Mode, Obligation, Scope, Unit
from servanda.work.models import Role

from .bulk import Adapt, insert_rows, max_id, progress_bar, reset_sequence
from .contracts import write_contracts
from .coverages import COVERAGE_COLUMNS, analyze, write_installations

ROLE = "Service (generated)"
OBLIGATION_COLUMNS = (
    "id",
    "version",
    "created_at",
    "updated_at",
    "description",
    "responsible_role_id",
    "scope",
    "interval_unit",
    "interval",
    "rrule",
    "lead_days",
    "estimated_minutes",
    "mode",
    "contract_id",
    "active",
)


def write_schedule_inputs(
    installations: int,
    *,
    per_contract: int = 10,
    anchor: dt.date | None = None,
    seed: int = 1,
    progress: bool = False,
) -> dict[str, Any]:
    """Open-ended contracts from `anchor`, each covering `per_contract` new installations from
    `anchor` on, each with one quarterly per-installation obligation assigned to one role."""
    anchor = anchor or timezone.localdate()
    ncontracts = -(-installations // per_contract)
    made = write_contracts(ncontracts, seed=seed, progress=progress, open_ended_from=anchor)
    first_contract = made["first_contract_id"]
    role, _ = Role.objects.get_or_create(name=ROLE, defaults={"description": "Generated for benchmarks"})
    adapt = Adapt()
    now = adapt.instant(timezone.now())
    with progress_bar(progress) as bar:
        first_inst = write_installations(installations, seed=seed, installed_on=anchor, progress=bar)
        first_cov = max_id(Coverage._meta.db_table) + 1

        def coverages() -> Iterator[tuple]:
            for i in range(installations):
                contract = first_contract + i // per_contract
                yield (first_cov + i, 1, now, now, contract, first_inst + i, adapt.date(anchor), None, "")

        insert_rows(
            Coverage._meta.db_table,
            COVERAGE_COLUMNS,
            coverages(),
            total=installations,
            progress=bar,
            label="coverages",
        )
        first_obl = max_id(Obligation._meta.db_table) + 1
        obligations = (
            (first_obl + c, 1, now, now, "Quarterly preventive maintenance", role.pk, Scope.INSTALLATION)
            + (Unit.MONTH, 3, "", 14, 90, Mode.ANCHORED, first_contract + c, True)
            for c in range(ncontracts)
        )
        insert_rows(
            Obligation._meta.db_table,
            OBLIGATION_COLUMNS,
            obligations,
            total=ncontracts,
            progress=bar,
            label="obligations",
        )
    reset_sequence(Coverage)
    reset_sequence(Obligation)
    analyze(
        (
            "contracts_contract",
            "installations_installation",
            "installations_coverage",
            "obligations_obligation",
        )
    )
    return {
        "contracts": ncontracts,
        "installations": installations,
        "obligations": ncontracts,
        "first_contract_id": first_contract,
        "contract_ids": (first_contract, first_contract + ncontracts - 1),
        "anchor": anchor.isoformat(),
    }
