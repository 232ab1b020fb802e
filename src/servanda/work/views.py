"""The calendar feed: a secret token URL, no login (calendar apps cannot log in)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from .calendar import feed, feed_window
from .models import CalendarToken, WorkItem
from .services import token_digest


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = (
        CalendarToken.objects.select_related("owner", "role")
        .filter(digest=token_digest(token), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if found is None:
        raise Http404("No such calendar.")
    items = WorkItem.objects.filter(feed_window(timezone.localdate()))
    if found.role is not None:
        if not found.role.members.filter(pk=found.owner_id).exists() and not found.owner.is_superuser:
            raise Http404("No such calendar.")  # the owner left the role: the feed stops
        items, name = items.filter(assignee_role=found.role), f"Servanda — {found.role.name}"
    else:
        items, name = items.filter(assignee_user=found.owner), f"Servanda — {found.owner.get_username()}"
    body = feed(
        name=name,
        items=items.order_by("due_date", "id"),
        link=lambda i: request.build_absolute_uri(reverse("work:item", args=[i.pk])),
        host=request.get_host().split(":")[0] or "servanda",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
