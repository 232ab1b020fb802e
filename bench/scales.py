"""Data set sizes. `full` is what the issues ask for; `small` a quick look; `tiny` the smoke test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    import_rows: int  # issue 2: contracts in the imported CSV
    coverages: int  # issue 2: coverages for the covering-contract lookup
    lookups: int
    feature_contracts: int  # issue 2: contracts for the feature query
    feature_queries: int
    schedule_installations: int  # issue 3: installations × quarterly × 2 years
    tick_items: int  # issue 3: work items present during an idle tick
    per_contract: int  # installations per contract in the schedule data set


SCALES = {
    "full": Scale("full", 100_000, 1_000_000, 2_000, 1_000_000, 100, 100_000, 1_000_000, 10),
    "small": Scale("small", 10_000, 100_000, 1_000, 100_000, 200, 10_000, 100_000, 10),
    "tiny": Scale("tiny", 60, 400, 30, 200, 10, 40, 400, 4),
}
