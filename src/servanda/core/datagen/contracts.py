"""Generated contracts: as rows, as a CSV file for the import, or written to the database."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from servanda.contracts.models import Contract
from servanda.parties.models import Party
from servanda.rules.durations import parse_iso_duration
from servanda.rules.periods import end_inclusive

from .bulk import Adapt, insert_rows, max_id, progress_bar, reset_sequence
from .catalogue import FEATURES, ensure_catalogue, ensure_feature_indexes, feature_values

TERMS = (("P1Y", "1 year"), ("P2Y", "2 years"), ("P3Y", "3 years"), ("P5Y", "5 years"), ("P6M", "6 months"))
RENEWALS = (("P1Y", "1 year"), ("", ""))
NOTICES = (("P3M", "3 months"), ("P1M", "1 month"), ("P6M", "6 months"))


@dataclass(frozen=True)
class ContractRow:
    number: str
    title: str
    party_ref: str
    party_name: str
    status: str
    commencement_date: dt.date
    initial_term: str
    renewal_term: str
    notice_period: str
    end_date: dt.date | None
    features: dict[str, Any]
    # How the CSV spells the durations ("2 years"): the import parses free text.
    initial_text: str
    renewal_text: str
    notice_text: str


COMMENCE_FROM = dt.date(2016, 1, 1).toordinal()


@lru_cache(maxsize=65536)
def _initial_end(start: dt.date, term: str) -> dt.date:
    return end_inclusive(start, parse_iso_duration(term))


def party_count(contracts: int) -> int:
    return max(1, contracts // 10)


def party_ref(n: int) -> str:
    return f"BP-{n:07d}"


def contract_rows(
    count: int, *, seed: int = 1, start: int = 1, open_ended_from: dt.date | None = None
) -> Iterator[ContractRow]:
    """`count` contracts numbered from `start`; the same seed and start give the same rows.

    `open_ended_from`: every contract active, commencing on that day, with no end and no notice
    (the schedule data set, where only the planned obligations should make work).
    """
    parties = party_count(count)
    rnd = random.Random(seed * 1_000_003 + start)
    r = rnd.random
    for n in range(start, start + count):
        initial, initial_text = TERMS[int(r() * len(TERMS))]
        renewal, renewal_text = RENEWALS[int(r() * len(RENEWALS))]
        notice, notice_text = NOTICES[int(r() * len(NOTICES))]
        commencement = dt.date.fromordinal(COMMENCE_FROM + int(r() * 3650))
        p = 1 + int(r() * parties)
        if open_ended_from is not None:
            yield ContractRow(
                number=f"BC-{n:07d}",
                title=f"Maintenance agreement {n}",
                party_ref=party_ref(p),
                party_name=f"Customer {p:07d} B.V.",
                status="active",
                commencement_date=open_ended_from,
                initial_term="",
                renewal_term="",
                notice_period="",
                end_date=None,
                features=feature_values(rnd, n),
                initial_text="",
                renewal_text="",
                notice_text="",
            )
            continue
        yield ContractRow(
            number=f"BC-{n:07d}",
            title=f"Maintenance agreement {n}",
            party_ref=party_ref(p),
            party_name=f"Customer {p:07d} B.V.",
            status="active" if r() < 0.9 else "draft",
            commencement_date=commencement,
            initial_term=initial,
            renewal_term=renewal,
            notice_period=notice,
            end_date=_initial_end(commencement, initial),
            features=feature_values(rnd, n),
            initial_text=initial_text,
            renewal_text=renewal_text,
            notice_text=notice_text,
        )


CSV_COLUMNS = (
    "Contract No",
    "Title",
    "Customer ID",
    "Customer",
    "Status",
    "Start",
    "Initial term",
    "Renewal",
    "Notice",
    "Service level",
    "Region",
    "Cost centre",
    "Fleet size",
    "Response hours",
    "Annual fee EUR",
    "Auto invoice",
    "Signed",
    "Warranty",
    "Asset ref",
)
# The CSV writes dates day-first (as European exports do); the mapping declares it.
CSV_DATE_FORMAT = "%d.%m.%Y"


def csv_record(row: ContractRow) -> list[str]:
    f = row.features
    return [
        row.number,
        row.title,
        row.party_ref,
        row.party_name,
        row.status,
        row.commencement_date.strftime(CSV_DATE_FORMAT),
        row.initial_text,
        row.renewal_text,
        row.notice_text,
        f["service_level"],
        f["region"],
        f["cost_centre"],
        str(f["fleet_size"]),
        str(f["response_hours"]),
        f["annual_fee"]["amount"],
        "yes" if f["auto_invoice"] else "no",
        dt.date.fromisoformat(f["signed_on"]).strftime(CSV_DATE_FORMAT),
        f["warranty"],
        f["asset_ref"],
    ]


def write_contracts_csv(path: Path, count: int, *, seed: int = 1, progress: bool = False) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with progress_bar(progress) as bar, path.open("w", newline="", encoding="utf-8") as fh:
        task = bar.add_task("contracts.csv", total=count) if bar else None
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for i, row in enumerate(contract_rows(count, seed=seed), 1):
            writer.writerow(csv_record(row))
            if bar is not None and task is not None and i % 10_000 == 0:
                bar.update(task, completed=i)
        if bar is not None and task is not None:
            bar.update(task, completed=count)
    return count


def write_contracts(
    count: int, *, seed: int = 1, progress: bool = False, open_ended_from: dt.date | None = None
) -> dict[str, int]:
    """Parties and contracts straight into the tables, ids assigned here (after any existing)."""
    contract_type, _ = ensure_catalogue(indexes=False)
    adapt = Adapt()
    now = adapt.instant(timezone.now())
    first_party = max_id(Party._meta.db_table) + 1
    first_contract = max_id(Contract._meta.db_table) + 1
    start = first_contract
    nparties = party_count(count)
    with progress_bar(progress) as bar:
        insert_rows(
            Party._meta.db_table,
            ("id", "version", "created_at", "updated_at", "name", "kind", "reference", "email", "phone")
            + ("address", "city", "country"),
            (
                (first_party + p - 1, 1, now, now, f"Customer {p:07d} B.V.", "organisation")
                + (f"BP-{start:07d}-{p:07d}", "", "", "", "", "NL")
                for p in range(1, nparties + 1)
            ),
            total=nparties,
            progress=bar,
            label="parties",
        )
        rows = (
            (
                first_contract + i,
                1,
                now,
                now,
                r.number,
                r.title,
                contract_type.pk,
                first_party + int(r.party_ref[3:]) - 1,
                r.status,
                adapt.date(r.commencement_date),
                r.initial_term,
                r.renewal_term,
                r.notice_period,
                adapt.date(r.end_date),
                adapt.json(r.features),
                False,
                "generated",
            )
            for i, r in enumerate(
                contract_rows(count, seed=seed, start=start, open_ended_from=open_ended_from)
            )
        )
        insert_rows(
            Contract._meta.db_table,
            CONTRACT_COLUMNS,
            rows,
            total=count,
            progress=bar,
            label="contracts",
        )
    reset_sequence(Party)
    reset_sequence(Contract)
    ensure_feature_indexes()
    return {"parties": nparties, "contracts": count, "first_contract_id": first_contract}


CONTRACT_COLUMNS = (
    "id",
    "version",
    "created_at",
    "updated_at",
    "number",
    "title",
    "contract_type_id",
    "party_id",
    "status",
    "commencement_date",
    "initial_term",
    "renewal_term",
    "notice_period",
    "end_date",
    "features",
    "is_placeholder",
    "source",
)

FEATURE_KEYS = tuple(f.key for f in FEATURES)
