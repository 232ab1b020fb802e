"""The import mapping for the generated contracts CSV (format: docs/IMPORT.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .catalogue import CONTRACT_TYPE

DAY_FIRST = ["dd.mm.yyyy"]

MAPPING: dict[str, Any] = {
    "entity": "contracts",
    "key": "number",
    "source": "generated (servanda generate contracts-csv)",
    "fields": {
        "number": "Contract No",
        "title": "Title",
        "party": {"column": "Customer", "match": "name", "create": True},
        "status": "Status",
        "contract_type": {"value": CONTRACT_TYPE},
        "commencement_date": {"column": "Start", "type": "date", "formats": DAY_FIRST},
        "initial_term": {"column": "Initial term", "type": "duration"},
        "renewal_term": {"column": "Renewal", "type": "duration"},
        "notice_period": {"column": "Notice", "type": "duration"},
    },
    "features": {
        "service_level": "Service level",
        "region": "Region",
        "cost_centre": "Cost centre",
        "fleet_size": {"column": "Fleet size", "type": "integer"},
        "response_hours": {"column": "Response hours", "type": "decimal"},
        "annual_fee": {"column": "Annual fee EUR", "type": "money", "currency": "EUR"},
        "auto_invoice": {"column": "Auto invoice", "type": "boolean"},
        "signed_on": {"column": "Signed", "type": "date", "formats": DAY_FIRST},
        "warranty": "Warranty",
        "asset_ref": "Asset ref",
    },
}


def write_mapping(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(MAPPING, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
