"""The seam through which contract and coverage writes reach planned work.

Contract and installation services call these inside their transaction, so that
schedules follow the change at once (issue 3). Kept in one module so the
dependency runs one way: contracts → obligations, never back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def contracts_changed(*, actor: Any, contract_ids: Iterable[int]) -> None:
    """Contract terms, status or coverage of these contracts changed: regenerate their schedules."""
    return None
