"""Calendar feeds: my personal feed and my roles' feeds; create and revoke their secret URLs.

A secret is shown once, right after it is made (only its digest is stored), so creating
answers with the page itself rather than a redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from servanda.core.errors import Refused
from servanda.work import services
from servanda.work.access import get_calendar_token_for, get_role_for
from servanda.work.models import CalendarToken, Role


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    tokens = list(CalendarToken.objects.filter(owner=user).select_related("role").order_by("-created_at"))
    return {
        "personal": [t for t in tokens if t.role_id is None],
        "roles": [
            (role, [t for t in tokens if t.role_id == role.pk])
            for role in Role.objects.filter(members=user).order_by("name")
        ],
        **extra,
    }


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    return render(request, "work/calendar.html", _context(request))


@login_required
@require_POST
def calendar_token_new(request: HttpRequest) -> HttpResponse:
    role_id = request.POST.get("role") or None
    role = get_role_for(request.user, role_id) if role_id else None
    label = (request.POST.get("label") or "").strip()[:200]
    try:
        token, secret = services.calendar_token_create(actor=request.user, role=role, label=label)
    except Refused as exc:
        messages.error(request, exc.detail)
        return redirect("work:calendar")
    url = request.build_absolute_uri(reverse("work:calendar_feed", args=[secret]))
    return render(request, "work/calendar.html", _context(request, new_url=url, new_token=token))


@login_required
@require_POST
def calendar_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_calendar_token_for(request.user, pk)
    services.calendar_token_revoke(actor=request.user, token=token)
    messages.success(request, "The feed URL is revoked: calendars subscribed to it stop updating.")
    return redirect("work:calendar")
