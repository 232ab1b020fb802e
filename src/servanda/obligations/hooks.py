"""The seam through which contract and coverage writes reach planned work.

Contract and installation services call these inside their transaction, so that
schedules follow the change at once (issue 3). Kept in one module so the
dependency runs one way: contracts → obligations, never back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def contracts_changed(*, actor: Any, contract_ids: Iterable[int], created_ids: Iterable[int] = ()) -> None:
    """Contract terms, status or coverage of these contracts changed: regenerate their schedules.

    A contract without any obligation yet gets its type's templates first (a new
    contract, from the pages, the API or an import alike). Regeneration runs to the
    schedule's own today (the last tick's), so the changed contracts match the rest.
    `created_ids`: those created in the caller's transaction, which have no work to look up.
    """
    from .generation import schedule_generate, schedule_today
    from .services import obligations_copy_from_type

    ids = sorted(set(contract_ids))
    if not ids:
        return
    obligations_copy_from_type(actor=actor, contract_ids=ids)
    schedule_generate(today=schedule_today(), contract_ids=ids, actor=actor, created_ids=created_ids)
