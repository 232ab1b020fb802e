"""`servanda load_demo`: users, types, the real data sets, and maintenance contracts on the machines.

Idempotent: every part is "create what is missing"; the data goes through the
import engine (lenient), so a second run reports everything unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from servanda.contracts.lifecycle import contracts_expire_due
from servanda.installations.models import Installation

from .demo_work import ensure_demo_work
from .engine import import_run
from .mapping import load_mapping, mapping_from_dict
from .report import Report

EXAMPLES = Path(settings.PROJECT_DIR) / "examples" / "mappings"
DEMO_PASSWORD = "servanda-demo"  # noqa: S105 - the documented demo login
TEAM = "Service North"
PERSONAS = [
    ("demo", "Demo", "Administrator", True),
    ("carla", "Carla", "Contract manager", False),
    ("paul", "Paul", "Service planner", False),
    ("desk", "Dana", "Service desk", False),
]
REAL_DATA = [
    ("contracts", "cuad/master_clauses.csv", "cuad_contracts.toml"),
    (
        "contracts",
        "philadelphia/philadelphia_professional_services_contracts_FY2013-FY2020.csv",
        "philadelphia_contracts.toml",
    ),
    ("installations", "azure_pdm/PdM_machines.csv", "azure_machines.toml"),
    ("maintenance", "azure_pdm/PdM_maint.csv", "azure_maintenance.toml"),
    ("maintenance", "azure_pdm/PdM_failures.csv", "azure_failures.toml"),
]
WRITE_MODELS = {
    "parties": ["party"],
    "contracts": ["contract"],
    "installations": ["installation", "coverage"],
}


def ensure_users() -> User:
    team, _ = Group.objects.get_or_create(name=TEAM)
    codenames = [f"{a}_{m}" for ms in WRITE_MODELS.values() for m in ms for a in ("view", "add", "change")]
    perms = list(
        Permission.objects.filter(content_type__app_label__in=list(WRITE_MODELS), codename__in=codenames)
    )
    admin: User | None = None
    for username, first, last, superuser in PERSONAS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, email=f"{username}@example.com")
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = superuser
            user.save()
            if not superuser:
                user.groups.add(team)
                user.user_permissions.add(*perms)
        if superuser:
            admin = user
    assert admin is not None
    return admin


MAINTENANCE_SETUP: dict[str, Any] = {
    "feature_definitions": [
        {
            "entity": "contract",
            "key": "service_level",
            "label": "Service level",
            "data_type": "choice",
            "characteristics": [
                {"code": "bronze", "label": "Bronze (next business day)"},
                {"code": "silver", "label": "Silver (8 working hours)"},
                {"code": "gold", "label": "Gold (4 hours, 24/7)"},
            ],
        },
        {"entity": "contract", "key": "annual_fee", "label": "Annual fee", "data_type": "money"},
        {
            "entity": "contract",
            "key": "visits_per_year",
            "label": "Preventive visits per year",
            "data_type": "integer",
        },
    ],
    "contract_types": [
        {
            "code": "maintenance",
            "name": "Maintenance contract",
            "features": ["service_level", "annual_fee", "visits_per_year"],
        },
        {"code": "warranty", "name": "Warranty", "features": []},
        {"code": "framework", "name": "Framework agreement", "features": []},
    ],
}

CONTRACT_MAPPING: dict[str, Any] = {
    "entity": "contracts",
    "source": "generated demo",
    "setup": MAINTENANCE_SETUP,
    "constants": {"status": "active"},
    "fields": {
        "number": "number",
        "title": "title",
        "contract_type": "type",
        "parent": "parent",
        "party": {"column": "party", "create": True},
        "commencement_date": {"column": "start", "type": "date", "formats": ["yyyy-mm-dd"]},
        "initial_term": {"column": "term", "type": "duration"},
        "renewal_term": {"column": "renewal", "type": "duration"},
        "notice_period": {"column": "notice", "type": "duration"},
    },
    "features": {
        "service_level": "level",
        "annual_fee": {"column": "fee", "type": "money", "currency": "EUR"},
        "visits_per_year": {"column": "visits", "type": "integer"},
    },
}
COVERAGE_MAPPING: dict[str, Any] = {
    "entity": "coverages",
    "fields": {
        "contract": "contract",
        "installation": "installation",
        "start": {"column": "start", "type": "date", "formats": ["yyyy-mm-dd"]},
        "end": {"column": "end", "type": "date", "formats": ["yyyy-mm-dd"]},
        "note": "note",
    },
}
CUSTOMERS = ["Northwind Manufacturing", "Contoso Plastics", "Fabrikam Metals", "Tailspin Packaging"]


def generated_rows(machines: list[tuple[str, dt.date | None]]) -> tuple[list[dict], list[dict]]:
    """A framework agreement per customer, maintenance call-offs under it, warranties for young machines."""
    contracts: list[dict] = []
    coverages: list[dict] = []
    levels = ["gold", "silver", "bronze", "silver"]
    for i, customer in enumerate(CUSTOMERS, start=1):
        fa = f"FA-2015-{i:02d}"
        contracts.append(
            {
                "number": fa,
                "title": f"Service framework agreement {customer}",
                "type": "framework",
                "party": customer,
                "start": "2015-01-01",
                "term": "",
                "renewal": "",
                "notice": "6 months",
            }
        )
        contracts.append(
            {
                "number": f"MC-2015-{i:02d}",
                "title": f"Maintenance {customer} ({levels[i - 1]})",
                "type": "maintenance",
                "parent": fa,
                "party": customer,
                "start": "2015-01-01",
                "term": "1 year",
                "renewal": "1 year",
                "notice": "3 months",
                "level": levels[i - 1],
                "fee": f"{12000 + 2500 * i}.00",
                "visits": str(2 + i % 3),
            }
        )
    for n, (serial, installed) in enumerate(machines):
        group = n % len(CUSTOMERS) + 1
        if n == 0:
            # One machine moved between contracts halfway through 2015.
            coverages.append(
                {
                    "contract": "MC-2015-01",
                    "installation": serial,
                    "start": "2015-01-01",
                    "end": "2015-06-30",
                    "note": "moved to Contoso Plastics",
                }
            )
            coverages.append(
                {
                    "contract": "MC-2015-02",
                    "installation": serial,
                    "start": "2015-07-01",
                    "end": "",
                    "note": "taken over from Northwind Manufacturing",
                }
            )
        else:
            coverages.append(
                {
                    "contract": f"MC-2015-{group:02d}",
                    "installation": serial,
                    "start": "2015-01-01",
                    "end": "",
                    "note": "",
                }
            )
        if installed is not None and installed >= dt.date(2012, 6, 1):
            # Young machines are still under the maker's warranty: two contracts cover them at once.
            number = f"W-{serial}"
            contracts.append(
                {
                    "number": number,
                    "title": f"Manufacturer's warranty {serial}",
                    "type": "warranty",
                    "parent": "",
                    "party": CUSTOMERS[group - 1],
                    "start": installed.isoformat(),
                    "term": "3 years",
                    "renewal": "",
                    "notice": "",
                }
            )
            end = installed.replace(year=installed.year + 3) - dt.timedelta(days=1)
            coverages.append(
                {
                    "contract": number,
                    "installation": serial,
                    "start": installed.isoformat(),
                    "end": end.isoformat(),
                    "note": "warranty",
                }
            )
    return contracts, coverages


def _write_csv(path: Path, rows: list[dict]) -> None:
    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in names]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)


def load_demo(*, say: Callable[[str], None], data_dir: Path | None = None) -> list[Report]:
    actor = ensure_users()
    reports: list[Report] = []
    data_dir = Path(data_dir or settings.SHARED_DATA_DIR)
    if data_dir.exists():
        for entity, relative, mapping_name in REAL_DATA:
            path = data_dir / relative
            if not path.exists():
                say(f"{relative}: not found, skipped")
                continue
            report = import_run(
                actor=actor,
                entity=entity,
                path=path,
                mapping=load_mapping(EXAMPLES / mapping_name),
                lenient=True,
            )
            reports.append(report)
            say(report.summary())
    else:
        say(f"{data_dir} is absent: the real data sets are skipped")
    machines = list(
        Installation.objects.filter(serial_number__startswith="PDM-")
        .order_by("serial_number")
        .values_list("serial_number", "installed_on")
    )
    contracts, coverages = generated_rows(machines)
    with tempfile.TemporaryDirectory() as tmp:
        cpath, vpath = Path(tmp) / "demo_contracts.csv", Path(tmp) / "demo_coverages.csv"
        _write_csv(cpath, contracts)
        for entity, path, rows, spec in (
            ("contracts", cpath, contracts, CONTRACT_MAPPING),
            ("coverages", vpath, coverages, COVERAGE_MAPPING),
        ):
            if not rows:
                continue
            _write_csv(path, rows)
            mapping = mapping_from_dict(spec, path=f"demo {entity}")
            report = import_run(actor=actor, entity=entity, path=path, mapping=mapping, lenient=True)
            reports.append(report)
            say(report.summary())
    expired = contracts_expire_due(actor=actor, today=timezone.localdate())
    say(f"{expired} contracts whose last term has ended marked expired")
    work = ensure_demo_work(actor=actor, team_name=TEAM)
    say(
        f"planned work: obligations on {work['contracts_with_new_obligations']} contracts, "
        f"{work['open_items']} open work items"
    )
    return reports
