"""Text matching for the global search and the list pages' search box."""

from __future__ import annotations

from django.db.models import Q, QuerySet


def contracts_matching(qs: QuerySet, q: str) -> QuerySet:
    return qs.filter(
        Q(number__icontains=q) | Q(title__icontains=q) | Q(party__name__icontains=q)
    ).select_related("party", "contract_type")


def installations_matching(qs: QuerySet, q: str) -> QuerySet:
    return qs.filter(
        Q(serial_number__icontains=q)
        | Q(model__icontains=q)
        | Q(product__icontains=q)
        | Q(owner__name__icontains=q)
    ).select_related("owner")


def parties_matching(qs: QuerySet, q: str) -> QuerySet:
    return qs.filter(Q(name__icontains=q) | Q(reference__icontains=q))
