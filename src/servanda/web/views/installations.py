"""Installation list and detail pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from servanda.contracts.access import contracts_visible_to
from servanda.contracts.models import Contract
from servanda.core.scope import can_read
from servanda.features.models import Entity
from servanda.features.validation import definitions_for_installation_type
from servanda.installations.access import get_installation_for, installations_visible_to
from servanda.installations.models import Installation, InstallationType
from servanda.installations.selectors import coverage_history, covering_contract_ids, installation_history
from servanda.rules.periods import ONE_DAY
from servanda.web import dates
from servanda.work.access import work_items_visible_to
from servanda.work.models import WorkItem

from .listing import Column, build_list, feature_filter_redirect, list_filters
from .search_query import installations_matching
from .shared import feature_rows, history_rows, on_date

COLUMNS = [
    Column("serial", "Serial number", "serial_number"),
    Column("model", "Model", "model"),
    Column("product", "Product", "product"),
    Column("owner", "Owner", "owner__name"),
    Column("site", "Site", "site"),
    Column("installed", "Installed on", "installed_on"),
    Column("status", "Status", "status"),
]
TABS = (
    ("features", "Features"),
    ("coverage", "Contracts over time"),
    ("maintenance", "Maintenance"),
    ("work", "Work"),
    ("history", "History"),
)
MAINTENANCE_LIMIT = 200
WORK_LIMIT = 100
OPEN_STATUSES = (WorkItem.Status.OPEN, WorkItem.Status.IN_PROGRESS)


@login_required
def installation_list(request: HttpRequest) -> HttpResponse:
    if not can_read(request.user, Installation):
        raise PermissionDenied
    folded = feature_filter_redirect(request)
    if folded:
        return redirect(folded)
    qs = installations_visible_to(request.user).select_related("owner", "installation_type")
    qs, chosen = list_filters(
        request, qs, matching=installations_matching, type_field="installation_type", party_field="owner"
    )
    listing = build_list(request, qs, entity=Entity.INSTALLATION, columns=COLUMNS, default_sort="serial")
    context = {
        "listing": listing,
        "q": chosen.q,
        "status": chosen.status,
        "itype": chosen.type,
        "owner": chosen.party,
        "statuses": Installation.Status.choices,
        "types": InstallationType.objects.order_by("name"),
        "filtered": chosen.any or bool(listing.chips),
        "can_add": request.user.has_perm("installations.add_installation"),
    }
    return render(request, "web/installations/list.html", context)


def _covering_today(request: HttpRequest, installation: Installation, on: dt.date) -> list:
    visible = contracts_visible_to(request.user)
    return list(
        Contract.objects.filter(pk__in=covering_contract_ids(installation_id=installation.pk, on=on))
        .filter(pk__in=visible.values("pk"))
        .order_by("number")
        .select_related("party", "contract_type")
    )


@login_required
def installation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    installation = get_installation_for(request.user, pk)
    on = on_date(request)
    tab = request.GET.get("tab", "features")
    context = {
        "installation": installation,
        "on": on,
        "today": timezone.localdate(),
        "covering": _covering_today(request, installation, on),
        "modules": installations_visible_to(request.user)
        .filter(parent=installation)
        .order_by("serial_number")[:50],
        "can_edit": request.user.has_perm("installations.change_installation"),
        "tab_labels": TABS,
    }
    context.update(_tab_context(request, installation, tab))
    return render(request, "web/installations/detail.html", context)


@login_required
def installation_tab(request: HttpRequest, pk: int, tab: str) -> HttpResponse:
    installation = get_installation_for(request.user, pk)
    context = {"installation": installation}
    context.update(_tab_context(request, installation, tab))
    return render(request, "web/installations/tabs.html", context)


def _tab_context(request: HttpRequest, installation: Installation, tab: str) -> dict:
    if tab not in dict(TABS):
        tab = "features"
    if tab == "features":
        definitions = definitions_for_installation_type(installation.installation_type)
        return {"tab": tab, "features": feature_rows(definitions, installation.features or {})}
    if tab == "coverage":
        visible = contracts_visible_to(request.user).values("pk")
        rows = []
        for c in coverage_history(installation_id=installation.pk).filter(contract__in=visible):
            end = c.end_excl - ONE_DAY if c.end_excl else None
            rows.append(
                {
                    "coverage": c,
                    "contract": c.contract,
                    "start": c.start,
                    "end": end,
                    "text": dates.period(c.start, end),
                }
            )
        return {"tab": tab, "coverage_rows": rows}
    if tab == "maintenance":
        records = installation.maintenance_records.order_by("-performed_at")
        return {
            "tab": tab,
            "maintenance": list(records[:MAINTENANCE_LIMIT]),
            "maintenance_count": records.count(),
        }
    if tab == "work":
        # Open work first (soonest due), then the most recent finished; links go to each item.
        items = work_items_visible_to(request.user).filter(installation=installation)
        open_items = items.filter(status__in=OPEN_STATUSES).order_by("due_date", "id")
        closed = items.exclude(status__in=OPEN_STATUSES).order_by("-due_date", "-id")
        return {
            "tab": tab,
            "open_work": list(
                open_items.select_related("assignee_user", "assignee_role", "contract")[:WORK_LIMIT]
            ),
            "open_work_count": open_items.count(),
            "closed_work": list(
                closed.select_related("assignee_user", "assignee_role", "contract")[:WORK_LIMIT]
            ),
        }
    events = installation_history(installation.pk)
    return {"tab": tab, "history": history_rows(events, entity=Entity.INSTALLATION)}
