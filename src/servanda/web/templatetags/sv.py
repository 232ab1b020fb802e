"""Date, status and URL helpers for the templates."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html

from servanda.web import dates
from servanda.web.display import duration_words

register = template.Library()


def _today() -> dt.date:
    return timezone.localdate()


def _as_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@register.filter
def day(value: object) -> str:
    """31 Dec 2026"""
    return dates.day(_as_date(value))


@register.filter
def relative(value: object) -> str:
    d = _as_date(value)
    return dates.relative(d, _today()) if d else ""


@register.filter
def deadline_hint(value: object) -> str:
    d = _as_date(value)
    return dates.deadline(d, _today()) if d else ""


@register.filter
def until_including(value: object) -> str:
    return dates.until_including(_as_date(value))


@register.filter
def instant(value: dt.datetime | None) -> str:
    """An event time in the viewer's zone, named so it is never mistaken: 31 Dec 2026, 14:05 CET."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{dates.day(local.date())}, {local:%H:%M} {local.tzname()}"


@register.simple_tag
def deadline(value: object, lead_days: int | None = None) -> str:
    """A deadline with its hint, coloured overdue (red) / at risk (amber)."""
    d = _as_date(value)
    if d is None:
        return ""
    lead = lead_days if lead_days is not None else settings.SERVANDA["NOTICE_REMINDER_LEAD_DAYS"]
    state = dates.deadline_state(d, _today(), lead)
    return format_html(
        '<time datetime="{}">{}</time> <span class="hint hint-{}">{}</span>',
        d.isoformat(),
        dates.day(d),
        state,
        dates.deadline(d, _today()),
    )


@register.simple_tag
def notice_deadline(value: object) -> str:
    """A notice deadline: once it has passed the right lapsed (the contract renews) — not overdue."""
    d = _as_date(value)
    if d is None:
        return ""
    if d >= _today():
        return deadline(d)
    return format_html(
        '<time datetime="{}">{}</time> <span class="hint hint-none">passed {}</span>',
        d.isoformat(),
        dates.day(d),
        dates.relative(d, _today()),
    )


STATUS_TONE = {
    "draft": "grey",
    "planned": "grey",
    "active": "green",
    "done": "green",
    "suspended": "amber",
    "out_of_service": "amber",
    "terminated": "red",
    "expired": "grey",
    "decommissioned": "grey",
}


@register.simple_tag
def status_badge(value: str, label: str | None = None) -> str:
    tone = STATUS_TONE.get(value, "grey")
    return format_html('<span class="badge badge-{}">{}</span>', tone, label or value.replace("_", " "))


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (sorting, paging keep the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    if "page" not in changes:
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.simple_tag(takes_context=True)
def query_without(context: template.Context, name: str) -> str:
    params = context["request"].GET.copy()
    params.pop(name, None)
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def duration(value: str) -> str:
    """P1Y → 1 year"""
    return duration_words(value) if value else ""
