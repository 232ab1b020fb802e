"""Party list and detail: who the contracts are with, and what they own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servanda.contracts.access import contracts_visible_to
from servanda.core.scope import can_read
from servanda.events.selectors import events_for
from servanda.installations.access import installations_visible_to
from servanda.parties.access import get_party_for, parties_visible_to
from servanda.parties.models import Party

from .listing import Column, build_list, selected
from .search_query import parties_matching
from .shared import history_rows

COLUMNS = [
    Column("name", "Name", "name"),
    Column("kind", "Kind", "kind"),
    Column("reference", "Reference", "reference"),
    Column("city", "City", "city"),
    Column("country", "Country", "country"),
]
RELATED_LIMIT = 100


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    if not can_read(request.user, Party):
        raise PermissionDenied
    qs = parties_visible_to(request.user)
    q = selected(request, "q")
    if q:
        qs = parties_matching(qs, q)
    listing = build_list(request, qs, entity="party", columns=COLUMNS, default_sort="name")
    return render(request, "web/parties/list.html", {"listing": listing, "q": q, "filtered": bool(q)})


@login_required
def party_detail(request: HttpRequest, pk: int) -> HttpResponse:
    party = get_party_for(request.user, pk)
    contracts = contracts_visible_to(request.user).filter(party=party).select_related("contract_type")
    installations = installations_visible_to(request.user).filter(owner=party)
    context = {
        "party": party,
        "contracts": contracts.order_by("number")[:RELATED_LIMIT],
        "contract_count": contracts.count(),
        "installations": installations.order_by("serial_number")[:RELATED_LIMIT],
        "installation_count": installations.count(),
        "history": history_rows(events_for(entity="party", entity_id=party.pk), entity="party"),
        "limit": RELATED_LIMIT,
    }
    return render(request, "web/parties/detail.html", context)
