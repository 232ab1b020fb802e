"""Reads about contracts: hierarchy, terms, and filtered lists for the API and pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from servanda.core.errors import FieldError, ValidationFailed
from servanda.events.models import Event
from servanda.events.selectors import events_for
from servanda.features.models import Entity
from servanda.features.query import apply_feature_params
from servanda.rules.durations import iso_or_none
from servanda.rules.renewal import Terms, TermStatus, status_on

from .models import Contract
from .tree import ancestor_ids, subtree_ids


def contract_subtree_ids(root_id: int) -> list[int]:
    """The contract and all its sub-contracts at any depth (sorted ids); safe on cyclic data."""
    return subtree_ids(Contract, root_id)


def contract_ancestor_ids(contract_id: int) -> list[int]:
    """Parent, grandparent, … up to the root (nearest first); safe on cyclic data."""
    return ancestor_ids(Contract, contract_id)


def contract_terms(contract: Contract) -> Terms | None:
    """The renewal-rule view of a contract; None without a commencement date (nothing to compute)."""
    if contract.commencement_date is None:
        return None
    initial = iso_or_none(contract.initial_term)
    return Terms(
        commencement=contract.commencement_date,
        initial_term=initial,
        renewal_term=iso_or_none(contract.renewal_term),
        notice_period=iso_or_none(contract.notice_period),
        explicit_end=None if initial is not None else contract.end_date,
        terminated_on=contract.terminated_on,
    )


def contract_term_status(contract: Contract, on: date) -> TermStatus:
    """Current term (start, inclusive end) and notice deadline on `on`, following tacit renewals.

    `open_ended` is true for a contract with neither an initial term nor an end date.
    """
    terms = contract_terms(contract)
    if terms is None:
        open_ended = not contract.initial_term and contract.end_date is None
        return TermStatus(
            open_ended=open_ended, term=None, notice_deadline=None, renews=bool(contract.renewal_term)
        )
    return status_on(terms, on)


def contract_history(contract_id: int) -> QuerySet[Event]:
    return events_for(entity="contract", entity_id=contract_id)


FILTER_PARAMS = ("type", "status", "party", "parent", "q", "placeholder")


def contracts_filtered(qs: QuerySet[Contract], *, params: Mapping[str, Any]) -> QuerySet[Contract]:
    """API-style filters: type (id or code), status (comma list), party, parent ("none" for roots),
    q (number/title text), placeholder (true/false), `feature.k=v`, `feature.k__gte=v` (see features.query).

    Other parameters (paging, sorting, `on`) are the caller's and are ignored here.
    """
    errors: list[FieldError] = []

    def ident(name: str) -> int:
        raw = str(params[name]).strip()
        if raw.isdigit():
            return int(raw)
        errors.append(FieldError(name, f"expected an id, got {raw!r}"))
        return 0

    if params.get("type"):
        raw = str(params["type"]).strip()
        qs = qs.filter(contract_type_id=int(raw)) if raw.isdigit() else qs.filter(contract_type__code=raw)
    if params.get("status"):
        statuses = [s.strip() for s in str(params["status"]).split(",") if s.strip()]
        bad = [s for s in statuses if s not in Contract.Status.values]
        if bad:
            errors.append(
                FieldError(
                    "status", f"unknown status {', '.join(bad)}; use {', '.join(Contract.Status.values)}"
                )
            )
        qs = qs.filter(status__in=statuses)
    if params.get("party"):
        qs = qs.filter(party_id=ident("party"))
    if params.get("parent"):
        if str(params["parent"]).strip().lower() in {"none", "null"}:
            qs = qs.filter(parent__isnull=True)
        else:
            qs = qs.filter(parent_id=ident("parent"))
    if params.get("placeholder"):
        qs = qs.filter(is_placeholder=str(params["placeholder"]).lower() == "true")
    if params.get("q"):
        text = str(params["q"]).strip()
        qs = qs.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(party__name__icontains=text))
    if errors:
        raise ValidationFailed(errors, "; ".join(f"{e.field}: {e.message}" for e in errors))
    return apply_feature_params(qs, entity=Entity.CONTRACT, params=params)
