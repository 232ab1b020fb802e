"""Shaping contract reads for the pages: term facts, ancestors, the sub-contract tree, coverage rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from servanda.contracts.models import Contract
from servanda.contracts.selectors import contract_ancestor_ids, contract_subtree_ids, contract_term_status
from servanda.installations.models import Coverage
from servanda.installations.selectors import coverages_of_contract, coverages_on
from servanda.rules.periods import ONE_DAY
from servanda.rules.renewal import initial_end, term_number_on
from servanda.web import dates

TREE_LIMIT = 500
ROWS_LIMIT = 200


@dataclass
class TermFacts:
    current_start: dt.date | None = None
    current_end: dt.date | None = None
    notice_deadline: dt.date | None = None
    open_ended: bool = False
    not_started: bool = False
    ended: dt.date | None = None
    renews: bool = False
    next_notice_deadline: dt.date | None = None


def term_facts(contract: Contract, on: dt.date) -> TermFacts:
    status = contract_term_status(contract, on)
    facts = TermFacts(
        open_ended=status.open_ended, notice_deadline=status.notice_deadline, renews=status.renews
    )
    if status.term is not None:
        facts.current_start, facts.current_end = status.term.start, status.term.end
        facts.not_started = contract.commencement_date is not None and on < contract.commencement_date
        if status.notice_deadline and status.notice_deadline < on and status.renews and facts.current_end:
            # Too late for this term: the next chance to give notice is in the renewed term.
            following = contract_term_status(contract, facts.current_end + ONE_DAY)
            facts.next_notice_deadline = following.notice_deadline
    elif not status.open_ended and contract.commencement_date is not None:
        # Expired or terminated: name the last day it ran.
        from servanda.contracts.selectors import contract_terms

        terms = contract_terms(contract)
        if terms is not None:
            if terms.terminated_on is not None and on > terms.terminated_on:
                facts.ended = terms.terminated_on
            elif term_number_on(terms, on) is None:
                facts.ended = initial_end(terms)
    return facts


def ancestors(contract: Contract, visible: QuerySet[Contract]) -> list[Contract]:
    """Root first, so the breadcrumb reads from the framework agreement down."""
    ids = contract_ancestor_ids(contract.pk)
    found = {c.pk: c for c in visible.filter(pk__in=ids).only("pk", "number", "title")}
    return [found[i] for i in reversed(ids) if i in found]


@dataclass
class Node:
    contract: Contract
    children: list[Node] = field(default_factory=list)


@dataclass
class Tree:
    children: list[Node]
    hidden: int = 0
    truncated: bool = False


def subtree(contract: Contract, visible: QuerySet[Contract]) -> Tree:
    """Sub-contracts at any depth, nested; those outside the user's scope are counted, not shown."""
    ids = [i for i in contract_subtree_ids(contract.pk) if i != contract.pk]
    mine = visible.filter(pk__in=ids)
    total = mine.count()
    rows = list(mine.only("pk", "number", "title", "status", "parent_id").order_by("number")[:TREE_LIMIT])
    nodes = {c.pk: Node(c) for c in rows}
    top: list[Node] = []
    for c in rows:
        parent = nodes.get(c.parent_id) if c.parent_id is not None else None
        (parent.children if parent else top).append(nodes[c.pk])
    return Tree(children=top, hidden=len(ids) - total, truncated=total > TREE_LIMIT)


@dataclass
class CoverageRow:
    coverage: Coverage
    end_incl: dt.date | None
    period_text: str

    def __getattr__(self, name: str):
        return getattr(self.coverage, name)


def _row(c: Coverage) -> CoverageRow:
    end = c.end_excl - ONE_DAY if c.end_excl else None
    return CoverageRow(c, end, dates.period(c.start, end))


def covered_on(
    contract: Contract, on: dt.date, visible_installations: QuerySet
) -> tuple[list[CoverageRow], int]:
    qs = (
        coverages_on(on)
        .filter(contract_id=contract.pk, installation__in=visible_installations)
        .select_related("installation")
        .order_by("installation__serial_number")
    )
    return [_row(c) for c in qs[:ROWS_LIMIT]], qs.count()


def coverage_over_time(contract: Contract, visible_installations: QuerySet) -> tuple[list[CoverageRow], int]:
    qs = coverages_of_contract(contract.pk).filter(installation__in=visible_installations)
    return [_row(c) for c in qs[:ROWS_LIMIT]], qs.count()
