"""REST endpoints for parties: thin — parse, check access, call a service, render."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.common import create_data, ordered, patch_changes
from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    HistoryPage,
    Input,
    RefusedProblem,
    not_null,
)
from servanda.core.scope import require

from . import services
from .access import get_party_for, parties_visible_to
from .models import Party

router = Router(tags=["parties"])

ORDERING = ("name", "reference", "city", "country", "created_at", "updated_at", "id")


class PartyOut(Schema):
    id: int
    name: str
    kind: str
    reference: str | None
    birth_date: date | None
    email: str
    phone: str
    address: str
    city: str
    country: str
    team: int | None
    version: int


class PartyIn(Input):
    name: str
    kind: Party.Kind = Party.Kind.ORGANISATION
    reference: str | None = None
    birth_date: date | None = None
    email: str = ""
    phone: str = ""
    address: str = ""
    city: str = ""
    country: str = Field("", max_length=2)
    team: int | None = Field(None, description="Defaults to your first team.")


class PartyPatch(Input):
    version: int | None = Field(None, description="The version you read; required.")
    name: str | None = None
    kind: Party.Kind | None = None
    reference: str | None = None
    birth_date: date | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = Field(None, max_length=2)
    team: int | None = None

    _not_null = not_null("name", "kind", "email", "phone", "address", "city", "country")


class PartyFilters(Schema):
    q: str | None = Field(None, description="Text in name, reference or city.")
    kind: Party.Kind | None = None
    country: str | None = None
    reference: str | None = None
    ordering: str | None = Field(None, description=f"One or more of {', '.join(ORDERING)}; '-' descends.")


def render(parties: Iterable[Party]) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "name": p.name,
            "kind": p.kind,
            "reference": p.reference,
            "birth_date": p.birth_date,
            "email": p.email,
            "phone": p.phone,
            "address": p.address,
            "city": p.city,
            "country": p.country,
            "team": p.team_id,
            "version": p.version,
        }
        for p in parties
    ]


def render_one(party: Party) -> dict[str, Any]:
    return render([party])[0]


CURRENT_RENDERERS[Party] = render_one


@router.get("", response={200: page_of(PartyOut), **ERRORS}, summary="List parties")
def party_list(request: HttpRequest, filters: Query[PartyFilters], page: Query[PageParams]) -> dict[str, Any]:
    qs = parties_visible_to(request.user)
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q) | Q(reference__icontains=filters.q) | Q(city__icontains=filters.q)
        )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.reference:
        qs = qs.filter(reference=filters.reference)
    return paginate(ordered(qs, filters.ordering, ORDERING), page, render)


@router.post("", response={201: PartyOut, **ERRORS}, summary="Create a party")
def party_create(request: HttpRequest, payload: PartyIn) -> Status:
    require(request.user, Party, "add")
    data = create_data(request, payload)
    party = services.party_create(actor=request.user, **data)
    return Status(201, render_one(party))


@router.get("/{id}", response={200: PartyOut, **ERRORS}, summary="One party")
def party_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return render_one(get_party_for(request.user, id))


@router.patch(
    "/{id}",
    response={200: PartyOut, **WRITE_ERRORS},
    summary="Change a party (send the version you read)",
)
def party_update(request: HttpRequest, id: int, payload: PartyPatch) -> dict[str, Any]:
    party = get_party_for(request.user, id, write=True)
    version, changes = patch_changes(request, payload)
    party = services.party_update(actor=request.user, party=party, version=version, **changes)
    return render_one(party)


@router.delete(
    "/{id}",
    response={204: None, 409: RefusedProblem, **ERRORS},
    summary="Delete a party (refused while used)",
)
def party_delete(request: HttpRequest, id: int) -> Status:
    party = get_party_for(request.user, id, write=True, action="delete")
    services.party_delete(actor=request.user, party=party)
    return Status(204, None)


@router.get("/{id}/history", response={200: HistoryPage, **ERRORS}, summary="A party's changes, newest first")
def party_history(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    party = get_party_for(request.user, id)
    return history_page(entity=services.ENTITY, entity_id=party.pk, params=page)
