"""When a contract and its coverages allow planned work: plain functions over row values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from servanda.rules.durations import DurationError, iso_or_none
from servanda.rules.periods import ONE_DAY
from servanda.rules.renewal import Terms, initial_end

# Statuses whose contracts get new planned work; a draft has none yet, and a
# terminated or expired one keeps what it had before its end.
SCHEDULED_STATUSES = ("active", "suspended", "terminated", "expired")

CONTRACT_FIELDS = (
    "contract__status",
    "contract__commencement_date",
    "contract__initial_term",
    "contract__renewal_term",
    "contract__notice_period",
    "contract__end_date",
    "contract__terminated_on",
)


def terms_of(row: dict[str, Any], prefix: str = "contract__") -> Terms | None:
    """The contract's terms from a values() row; None without a commencement date."""
    start = row.get(f"{prefix}commencement_date")
    if start is None:
        return None
    try:
        initial = iso_or_none(row.get(f"{prefix}initial_term"))
        renewal = iso_or_none(row.get(f"{prefix}renewal_term"))
        notice = iso_or_none(row.get(f"{prefix}notice_period"))
    except DurationError:
        return None
    explicit = row.get(f"{prefix}end_date") if initial is None else None
    return Terms(
        commencement=start,
        initial_term=initial if initial is not None and not initial.is_zero else None,
        renewal_term=renewal if renewal is not None and not renewal.is_zero else None,
        notice_period=notice,
        explicit_end=explicit,
        terminated_on=row.get(f"{prefix}terminated_on"),
    )


@dataclass(frozen=True)
class Window:
    """Inclusive `[start, end]`; None on either side means unbounded."""

    start: date | None
    end: date | None

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def clip(self, start: date, end: date) -> tuple[date, date]:
        return (max(start, self.start) if self.start else start, min(end, self.end) if self.end else end)


def contract_window(row: dict[str, Any], prefix: str = "contract__") -> Window | None:
    """Days on which the contract obliges planned work; None: no new work at all.

    Ends at the termination date; without renewal, at the end of the initial term;
    a tacitly renewing contract runs on until terminated.
    """
    status = row.get(f"{prefix}status")
    if status not in SCHEDULED_STATUSES:
        return None
    start = row.get(f"{prefix}commencement_date")
    terminated_on = row.get(f"{prefix}terminated_on")
    if terminated_on is not None:
        return Window(start, terminated_on)
    terms = terms_of(row, prefix)
    end = None
    if terms is not None and terms.renewal_term is None:
        end = initial_end(terms)
    elif terms is None:
        end = row.get(f"{prefix}end_date")
    if status in ("terminated", "expired") and end is None:
        return None  # ended on a day nobody recorded: add nothing, cancel nothing
    return Window(start, end)


def coverage_windows(covs: list[tuple[date, date | None]]) -> list[Window]:
    return [Window(s, None if e is None else e - ONE_DAY) for s, e in covs]
