"""Contract list and detail pages (read side); the forms live in contract_forms.py."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from servanda.contracts.access import contracts_visible_to, get_contract_for
from servanda.contracts.models import Contract, ContractType
from servanda.contracts.selectors import contract_history
from servanda.core.scope import can_write
from servanda.features.models import Entity
from servanda.features.validation import definitions_for_contract_type
from servanda.installations.access import installations_visible_to
from servanda.installations.models import Coverage
from servanda.web.forms.coverage import CoverageForm

from . import contract_data
from .listing import Column, build_list, feature_filter_redirect, list_filters
from .search_query import contracts_matching
from .shared import feature_rows, history_rows, on_date

COLUMNS = [
    Column("number", "Number", "number"),
    Column("title", "Title", "title"),
    Column("party", "Party", "party__name"),
    Column("type", "Type", "contract_type__name"),
    Column("status", "Status", "status"),
    Column("term", "Current term until"),
    Column("notice", "Notice by"),
]
TABS = (
    ("features", "Features"),
    ("subcontracts", "Sub-contracts"),
    ("installations", "Installations"),
    ("history", "History"),
)


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("contracts.view_contract"):
        raise PermissionDenied
    folded = feature_filter_redirect(request)
    if folded:
        return redirect(folded)
    qs = contracts_visible_to(request.user).select_related("party", "contract_type")
    qs, chosen = list_filters(
        request, qs, matching=contracts_matching, type_field="contract_type", party_field="party"
    )
    listing = build_list(request, qs, entity=Entity.CONTRACT, columns=COLUMNS, default_sort="number")
    today = timezone.localdate()
    # Terms follow renewals, so they are computed for the rows shown, not stored.
    rows = [(c, contract_data.term_facts(c, today)) for c in listing.page.object_list]
    context = {
        "rows": rows,
        "listing": listing,
        "q": chosen.q,
        "status": chosen.status,
        "ctype": chosen.type,
        "party": chosen.party,
        "statuses": Contract.Status.choices,
        "types": ContractType.objects.order_by("name"),
        "filtered": chosen.any or bool(listing.chips),
        "can_add": request.user.has_perm("contracts.add_contract"),
    }
    return render(request, "web/contracts/list.html", context)


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request.user, pk)
    on = on_date(request)
    tab = request.GET.get("tab", "features")
    context = {
        "contract": contract,
        "on": on,
        "today": timezone.localdate(),
        "terms": contract_data.term_facts(contract, on),
        "ancestors": contract_data.ancestors(contract, contracts_visible_to(request.user)),
        "can_edit": request.user.has_perm("contracts.change_contract"),
        "tab_labels": TABS,
        "obligations_url": _optional_url("work:contract-obligations", contract.pk),
    }
    context.update(tab_context(request, contract, tab, on))
    return render(request, "web/contracts/detail.html", context)


def _optional_url(name: str, pk: int) -> str | None:
    """A link to another area's page about this contract, once that area exists."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


@login_required
def contract_tab(request: HttpRequest, pk: int, tab: str) -> HttpResponse:
    contract = get_contract_for(request.user, pk)
    on = on_date(request)
    context = {"contract": contract, "on": on}
    context.update(tab_context(request, contract, tab, on))
    return render(request, "web/contracts/tabs.html", context)


def tab_context(request: HttpRequest, contract: Contract, tab: str, on: dt.date) -> dict:
    if tab not in dict(TABS):
        tab = "features"
    if tab == "features":
        definitions = definitions_for_contract_type(contract.contract_type)
        return {"tab": tab, "features": feature_rows(definitions, contract.features or {})}
    if tab == "subcontracts":
        return {"tab": tab, "tree": contract_data.subtree(contract, contracts_visible_to(request.user))}
    if tab == "installations":
        visible = installations_visible_to(request.user)
        may_cover = can_write(request.user, Coverage, "add")
        now, now_count = contract_data.covered_on(contract, on, visible)
        over_time, total = contract_data.coverage_over_time(contract, visible)
        return {
            "tab": tab,
            "covered_on": now,
            "covered_count": now_count,
            "covered_more": now_count > len(now),
            "coverages": over_time,
            "coverages_count": total,
            "coverages_more": total > len(over_time),
            "may_cover": may_cover,
            "may_end": can_write(request.user, Coverage, "change"),
            "cover_form": CoverageForm(installations=visible) if may_cover else None,
            "today_iso": timezone.localdate().isoformat(),
        }
    return {"tab": tab, "history": history_rows(contract_history(contract.pk), entity=Entity.CONTRACT)}
