"""What obligations and their templates share in the API: the planned fields of `PlannedFields`."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from servanda.api.schemas import Input

from .models import Mode, PlannedFields, Scope, Unit

RRULE_HELP = "RFC 5545 RRULE (with optional EXDATE/RDATE lines), stored as given"


class PlannedOut(Schema):
    id: int
    description: str
    responsible_user: int | None
    responsible_role: int | None
    scope: str
    interval_unit: str
    interval: int | None
    rrule: str
    lead_days: int
    estimated_minutes: int | None
    mode: str
    version: int


class PlannedIn(Input):
    description: str = Field(..., min_length=1, max_length=500)
    responsible_user: int | None = None
    responsible_role: int | None = None
    scope: Scope = Scope.CONTRACT
    interval_unit: Unit | None = None
    interval: int | None = Field(None, ge=1)
    rrule: str = Field("", description=RRULE_HELP)
    lead_days: int = Field(14, ge=0)
    estimated_minutes: int | None = Field(None, ge=0)
    mode: Mode = Mode.ANCHORED


class PlannedPatch(Input):
    version: int | None = None
    description: str | None = None
    responsible_user: int | None = None
    responsible_role: int | None = None
    scope: Scope | None = None
    interval_unit: Unit | None = None
    interval: int | None = Field(None, ge=1)
    rrule: str | None = None
    lead_days: int | None = Field(None, ge=0)
    estimated_minutes: int | None = Field(None, ge=0)
    mode: Mode | None = None


def planned_fields(p: PlannedFields) -> dict[str, Any]:
    return {
        "id": p.pk,
        "description": p.description,
        "responsible_user": p.responsible_user_id,
        "responsible_role": p.responsible_role_id,
        "scope": p.scope,
        "interval_unit": p.interval_unit,
        "interval": p.interval,
        "rrule": p.rrule,
        "lead_days": p.lead_days,
        "estimated_minutes": p.estimated_minutes,
        "mode": p.mode,
        "version": p.version,
    }


def clean_planned(data: dict[str, Any]) -> dict[str, Any]:
    # "No interval" / "no rule" are stored as empty text, as the model keeps them.
    for name in ("interval_unit", "rrule"):
        if name in data and data[name] is None:
            data[name] = ""
    return data
