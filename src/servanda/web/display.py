"""Feature and history values as people read them (pure: no Django import)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from servanda.rules.durations import DurationError, parse_iso_duration

from . import dates


def duration_words(text: str) -> str:
    """P1Y → "1 year", P18M → "18 months", P30D → "30 days"; unreadable text is shown as is."""
    try:
        d = parse_iso_duration(text)
    except DurationError:
        return text
    parts = []
    years, months = divmod(d.months, 12)
    if d.months and not months:
        parts.append(f"{years} year" + ("s" if years != 1 else ""))
    elif d.months:
        parts.append(f"{d.months} month" + ("s" if d.months != 1 else ""))
    if d.days:
        weeks, rest = divmod(d.days, 7)
        if weeks and not rest:
            parts.append(f"{weeks} week" + ("s" if weeks != 1 else ""))
        else:
            parts.append(f"{d.days} day" + ("s" if d.days != 1 else ""))
    return " ".join(parts) or "none"


def _amount(text: Any) -> str:
    try:
        number = Decimal(str(text))
    except InvalidOperation:
        return str(text)
    return f"{number:,.2f}"


def feature_text(
    value: Any, *, data_type: str = "", unit: str = "", labels: Mapping[str, str] | None = None
) -> str:
    """One stored feature value in words; `labels` maps characteristic codes to labels."""
    if value is None or value == "" or value == []:
        return "—"
    labels = labels or {}
    if data_type == "boolean" or isinstance(value, bool):
        return "Yes" if value else "No"
    if data_type == "choice":
        return labels.get(str(value), str(value))
    if data_type == "multi_choice" and isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if data_type == "money" and isinstance(value, Mapping):
        return f"{_amount(value.get('amount'))} {value.get('currency', '')}".strip()
    if data_type == "date" and isinstance(value, str):
        try:
            return dates.day(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if data_type == "duration" and isinstance(value, str):
        return duration_words(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = (
        f"{value:,}" if isinstance(value, int | float) and data_type in ("integer", "decimal") else str(value)
    )
    return f"{text} {unit}".strip() if unit else text


def plain_value(value: Any) -> str:
    """A history value without a definition at hand: dates read as dates, the rest as text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and len(value) == 10:
        try:
            return dates.day(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return feature_text(value)
