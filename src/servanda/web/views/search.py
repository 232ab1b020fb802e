"""One global search: contract number or title, serial number, party name."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LIMIT = 20


@login_required
def search(request: HttpRequest) -> HttpResponse:
    from servanda.contracts.access import contracts_visible_to
    from servanda.installations.access import installations_visible_to
    from servanda.parties.access import parties_visible_to

    from .search_query import contracts_matching, installations_matching, parties_matching

    q = request.GET.get("q", "").strip()
    groups = []
    if q:
        user = request.user
        if user.has_perm("contracts.view_contract"):
            groups.append(("Contracts", contracts_matching(contracts_visible_to(user), q)[:LIMIT]))
        if user.has_perm("installations.view_installation"):
            groups.append(
                ("Installations", installations_matching(installations_visible_to(user), q)[:LIMIT])
            )
        if user.has_perm("parties.view_party"):
            groups.append(("Parties", parties_matching(parties_visible_to(user), q)[:LIMIT]))
    return render(request, "web/search.html", {"q": q, "search_q": q, "groups": groups, "limit": LIMIT})
