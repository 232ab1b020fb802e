"""The contract type, installation type and ten feature definitions the data sets use."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import connection

from servanda.contracts.models import ContractType
from servanda.features.models import Characteristic, DataType, Entity, FeatureDefinition
from servanda.installations.models import InstallationType

CONTRACT_TYPE = "bench-maintenance"
INSTALLATION_TYPE = "bench-machine"

LEVELS = ("platinum", "gold", "silver", "bronze", "basic")
REGIONS = tuple(f"r{n:02d}" for n in range(40))


@dataclass(frozen=True)
class Feature:
    key: str
    label: str
    data_type: str
    codes: tuple[str, ...] = ()
    unit: str = ""


# Ten features of the data types a contracts spreadsheet carries; `asset_ref` is
# near-unique and `fleet_size` numeric so the feature query can probe equality and ranges.
FEATURES: tuple[Feature, ...] = (
    Feature("service_level", "Service level", DataType.CHOICE, LEVELS),
    Feature("region", "Region", DataType.CHOICE, REGIONS),
    Feature("cost_centre", "Cost centre", DataType.TEXT),
    Feature("fleet_size", "Fleet size", DataType.INTEGER, unit="machines"),
    Feature("response_hours", "Response time", DataType.DECIMAL, unit="h"),
    Feature("annual_fee", "Annual fee", DataType.MONEY),
    Feature("auto_invoice", "Invoiced automatically", DataType.BOOLEAN),
    Feature("signed_on", "Signed on", DataType.DATE),
    Feature("warranty", "Warranty", DataType.DURATION),
    Feature("asset_ref", "Asset reference", DataType.TEXT),
)


def ensure_feature_indexes() -> list[str]:
    """The expression indexes Servanda keeps for indexed features (created after a bulk load)."""
    try:
        from servanda.features.query import feature_index_ensure
    except ImportError:  # older trees: no feature indexes to maintain
        return []
    names = []
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # Rows written earlier in this transaction leave deferred FK checks pending, and
        # PostgreSQL refuses CREATE INDEX on a table with pending trigger events: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for definition in FeatureDefinition.objects.filter(
        entity=Entity.CONTRACT, key__in=[f.key for f in FEATURES]
    ):
        name = feature_index_ensure(definition)
        if name:
            names.append(name)
    return names


def ensure_catalogue(
    *, indexes: bool = True, indexed_keys: Collection[str] | None = None
) -> tuple[ContractType, InstallationType]:
    """The bench contract and installation types with their feature definitions (idempotent).

    `indexes=False` leaves the feature indexes for after a bulk load (much faster to build once).
    `indexed_keys`: which definitions are created `indexed` (default all), as an administrator
    would choose; every indexed JSON feature costs each contract write one more index entry.
    """
    definitions = []
    for position, f in enumerate(FEATURES):
        definition, _ = FeatureDefinition.objects.get_or_create(
            entity=Entity.CONTRACT,
            key=f.key,
            defaults={
                "label": f.label,
                "data_type": f.data_type,
                "unit": f.unit,
                "position": position,
                "indexed": indexed_keys is None or f.key in indexed_keys,
            },
        )
        definitions.append(definition)
        existing = set(definition.characteristics.values_list("code", flat=True))
        Characteristic.objects.bulk_create(
            [
                Characteristic(definition=definition, code=code, label=code.title(), position=i)
                for i, code in enumerate(f.codes)
                if code not in existing
            ]
        )
    contract_type, _ = ContractType.objects.get_or_create(
        code=CONTRACT_TYPE, defaults={"name": "Maintenance (generated)", "number_prefix": "BC-"}
    )
    contract_type.feature_definitions.add(*definitions)
    installation_type, _ = InstallationType.objects.get_or_create(
        code=INSTALLATION_TYPE, defaults={"name": "Machine (generated)"}
    )
    if indexes:
        ensure_feature_indexes()
    return contract_type, installation_type


RESPONSE_HOURS = (2, 4, 8, 24, 2.5, 4.5, 8.5, 24.5)
WARRANTIES = ("P6M", "P1Y", "P2Y", "P3Y")
SIGNED_FROM = dt.date(2015, 1, 1).toordinal()


def feature_values(rnd: random.Random, n: int) -> dict[str, Any]:
    """A features document in the stored (normalized) shape of servanda.rules.featurevalues.

    Draws with random() and index arithmetic: randint/choice cost several times more,
    and a million rows are built in Python before the database sees them.
    """
    r = rnd.random
    return {
        "service_level": LEVELS[int(r() * len(LEVELS))],
        "region": REGIONS[int(r() * len(REGIONS))],
        "cost_centre": f"CC-{100 + int(r() * 900)}",
        "fleet_size": 1 + int(r() * 5000),
        "response_hours": RESPONSE_HOURS[int(r() * len(RESPONSE_HOURS))],
        "annual_fee": {"amount": f"{100 + int(r() * 250_000)}.{int(r() * 100):02d}", "currency": "EUR"},
        "auto_invoice": r() < 0.7,
        "signed_on": dt.date.fromordinal(SIGNED_FROM + int(r() * 3650)).isoformat(),
        "warranty": WARRANTIES[int(r() * len(WARRANTIES))],
        "asset_ref": f"AR-{n:07d}",
    }
