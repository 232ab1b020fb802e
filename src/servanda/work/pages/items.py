"""One work item's page, and the actions on it (claim, start, complete, cancel, move, reassign).

An action posted from a list (My work, the planner) answers htmx with that list
re-rendered from the same filters, so a new next occurrence or a moved item shows at
once; without htmx it redirects back to the page it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from servanda.core.errors import Refused, ValidationFailed, VersionConflict
from servanda.events.selectors import events_for
from servanda.web.views.shared import history_rows
from servanda.work import services
from servanda.work.access import get_work_item_for, may_change_work_item
from servanda.work.models import Role, WorkItem

from .common import assignee_choices, assignee_value, parse_date, parse_int, resolve_who
from .my_work import my_work_context
from .planner import planner_context


@dataclass
class Outcome:
    """What to tell the user after an action: a success line, a refusal, or a conflict."""

    message: str = ""
    error: str = ""
    conflict: WorkItem | None = None


def _move(request: HttpRequest, item: WorkItem, version: int | None) -> str:
    day = parse_date(request.POST.get("due_date"))
    if day is None:
        raise ValidationFailed.one("due_date", "pick a date")
    moved = services.work_item_move(actor=request.user, item=item, version=version, due_date=day)
    return f"Moved “{moved.title}” to {moved.due_date:%d %b %Y}."


def _reassign(request: HttpRequest, item: WorkItem, version: int | None) -> str:
    raw = request.POST.get("to", "")
    if not raw or raw == "me":
        raise ValidationFailed.one("to", "pick a person or a role")
    who = resolve_who(request.user, raw)
    done = services.work_item_reassign(
        actor=request.user, item=item, version=version, user=who.user, role=who.role
    )
    return f"“{done.title}” now goes to {who.label}."


def _claim(request: HttpRequest, item: WorkItem, version: int | None) -> str:
    done = services.work_item_claim(actor=request.user, item=item, version=version)
    return f"You took “{done.title}”."


def _start(request: HttpRequest, item: WorkItem, version: int | None) -> str:
    done = services.work_item_start(actor=request.user, item=item, version=version)
    return f"Started “{done.title}”."


def _complete(request: HttpRequest, item: WorkItem, version: int | None) -> str:
    note = (request.POST.get("note") or "").strip()
    done = services.work_item_complete(actor=request.user, item=item, version=version, note=note)
    return f"Completed “{done.title}”."


def _cancel(request: HttpRequest, item: WorkItem, version: int | None) -> str:
    note = (request.POST.get("note") or "").strip()
    done = services.work_item_cancel(actor=request.user, item=item, version=version, note=note)
    return f"Cancelled “{done.title}”."


ACTIONS: dict[str, Callable[[HttpRequest, WorkItem, int | None], str]] = {
    "move": _move,
    "reassign": _reassign,
    "claim": _claim,
    "start": _start,
    "complete": _complete,
    "cancel": _cancel,
}
VIEWS = {"my-work": "work:my-work", "planner": "work:planner"}


def _conflict_text(current: WorkItem) -> str:
    who = current.assignee_user or current.assignee_role
    return (
        f"Someone else changed “{current.title}” before you saved. It is now "
        f"{current.get_status_display().lower()}, due {current.due_date:%d %b %Y}"
        f"{f', assigned to {who}' if who else ''}. Nothing of yours was saved; "
        "check its current state below and try again if it is still needed."
    )


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("No such action.")
    item = get_work_item_for(request.user, pk, write=True)
    outcome = Outcome()
    try:
        outcome.message = handler(request, item, parse_int(request.POST.get("version")))
    except VersionConflict as exc:
        outcome.conflict = exc.current
        outcome.error = _conflict_text(exc.current)
    except (Refused, ValidationFailed) as exc:
        errors = getattr(exc, "errors", None)
        outcome.error = "; ".join(e.message for e in errors) if errors else exc.detail
    return _answer(request, item, outcome)


def _answer(request: HttpRequest, item: WorkItem, outcome: Outcome) -> HttpResponse:
    view = request.POST.get("view", "")
    params = QueryDict(request.POST.get("query", ""))
    if request.headers.get("HX-Request") and view in VIEWS:
        context = (
            my_work_context(request.user, params)
            if view == "my-work"
            else planner_context(request.user, params)
        )
        context.update(notice=outcome.message, error=outcome.error, conflict=outcome.conflict)
        return render(request, f"work/_{view.replace('-', '_')}_list.html", context)
    if outcome.error:
        messages.error(request, outcome.error)
    else:
        messages.success(request, outcome.message)
    if view in VIEWS:
        query = params.urlencode()
        return redirect(reverse(VIEWS[view]) + (f"?{query}" if query else ""))
    return redirect("work:item", pk=item.pk)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer: Any = request.user
    item = get_work_item_for(viewer, pk)
    context: dict[str, Any] = {
        "item": item,
        "today": timezone.localdate(),
        "may_change": may_change_work_item(request.user, item),
        "may_claim": item.assignee_role_id is not None
        and item.assignee_user_id is None
        and Role.objects.filter(pk=item.assignee_role_id, members=viewer).exists(),
        "assignee_choices": assignee_choices(request.user),
        "assignee_value": assignee_value(item),
        "history": history_rows(events_for(entity=services.ENTITY, entity_id=item.pk), entity="work_item"),
        "view": "item",
    }
    return render(request, "work/item_detail.html", context)
