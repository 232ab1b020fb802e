"""REST endpoints for feature definitions and their characteristics.

Everyone signed in reads them; administrators change them (features.access).
Contract and installation types are in servanda.api.types.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.common import patch_changes
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

from . import services
from .access import feature_definitions_visible_to, get_feature_definition_for, require_administrator
from .models import Characteristic, DataType, Entity, FeatureDefinition

router = Router(tags=["feature definitions"])


class CharacteristicOut(Schema):
    code: str
    label: str
    position: int


class CharacteristicIn(Input):
    code: str = Field(..., max_length=60)
    label: str = ""
    position: int | None = None


class CharacteristicPatch(Input):
    version: int | None = Field(None, description="The definition's version you read (optional).")
    code: str | None = Field(None, max_length=60)
    label: str | None = None
    position: int | None = None

    _not_null = not_null("code", "label", "position")


class FeatureDefinitionOut(Schema):
    id: int
    entity: str
    key: str
    label: str
    data_type: str
    unit: str
    required: bool
    default: Any = None
    reference_entity: str
    help_text: str
    position: int
    indexed: bool
    characteristics: list[CharacteristicOut]
    version: int


class FeatureDefinitionIn(Input):
    entity: Entity
    key: str = Field(..., max_length=60, pattern=r"^[A-Za-z0-9_-]+$")
    label: str
    data_type: DataType
    unit: str = ""
    required: bool = False
    default: Any = None
    reference_entity: Entity | None = None
    help_text: str = ""
    position: int = 0
    indexed: bool = True
    characteristics: list[CharacteristicIn] = Field(default_factory=list)


class FeatureDefinitionPatch(Input):
    version: int | None = Field(None, description="The version you read; required.")
    entity: Entity | None = None
    key: str | None = Field(None, max_length=60, pattern=r"^[A-Za-z0-9_-]+$")
    label: str | None = None
    data_type: DataType | None = None
    unit: str | None = None
    required: bool | None = None
    default: Any = None
    reference_entity: Entity | None = None
    help_text: str | None = None
    position: int | None = None
    indexed: bool | None = None

    _not_null = not_null("entity", "key", "label", "data_type", "unit", "required", "help_text", "position")


class DefinitionFilters(Schema):
    entity: Entity | None = None
    key: str | None = None
    data_type: DataType | None = None


def render_definitions(definitions: Iterable[FeatureDefinition]) -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            "entity": d.entity,
            "key": d.key,
            "label": d.label,
            "data_type": d.data_type,
            "unit": d.unit,
            "required": d.required,
            "default": d.default,
            "reference_entity": d.reference_entity,
            "help_text": d.help_text,
            "position": d.position,
            "indexed": d.indexed,
            "characteristics": [
                {"code": c.code, "label": c.label, "position": c.position}
                for c in sorted(d.characteristics.all(), key=lambda c: (c.position, c.code))
            ],
            "version": d.version,
        }
        for d in definitions
    ]


def _definition(request: HttpRequest, id: int, *, write: bool = False) -> FeatureDefinition:
    return get_feature_definition_for(request.user, id, write=write)


def render_definition(definition: FeatureDefinition) -> dict[str, Any]:
    return render_definitions([definition])[0]


CURRENT_RENDERERS[FeatureDefinition] = render_definition


@router.get("", response={200: page_of(FeatureDefinitionOut), **ERRORS}, summary="List feature definitions")
def definition_list(
    request: HttpRequest, filters: Query[DefinitionFilters], page: Query[PageParams]
) -> dict[str, Any]:
    qs = feature_definitions_visible_to(request.user)  # characteristics prefetched
    for name in ("entity", "key", "data_type"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    return paginate(qs.order_by("entity", "position", "key", "id"), page, render_definitions)


@router.post("", response={201: FeatureDefinitionOut, **ERRORS}, summary="Define a feature")
def definition_create(request: HttpRequest, payload: FeatureDefinitionIn) -> Status:
    require_administrator(request.user, FeatureDefinition)
    data = payload.model_dump()
    data["reference_entity"] = data["reference_entity"] or ""
    definition = services.feature_definition_create(actor=request.user, **data)
    return Status(201, render_definition(definition))


@router.get("/{id}", response={200: FeatureDefinitionOut, **ERRORS}, summary="One feature definition")
def definition_detail(request: HttpRequest, id: int) -> dict[str, Any]:
    return render_definition(_definition(request, id))


@router.patch("/{id}", response={200: FeatureDefinitionOut, **WRITE_ERRORS}, summary="Change a definition")
def definition_update(request: HttpRequest, id: int, payload: FeatureDefinitionPatch) -> dict[str, Any]:
    definition = _definition(request, id, write=True)
    version, changes = patch_changes(request, payload)
    if "reference_entity" in changes:
        changes["reference_entity"] = changes["reference_entity"] or ""
    definition = services.feature_definition_update(
        actor=request.user, definition=definition, version=version, **changes
    )
    return render_definition(definition)


@router.delete(
    "/{id}",
    response={204: None, 409: RefusedProblem, **ERRORS},
    summary="Delete a definition (refused in use)",
)
def definition_delete(request: HttpRequest, id: int) -> Status:
    services.feature_definition_delete(actor=request.user, definition=_definition(request, id, write=True))
    return Status(204, None)


@router.get("/{id}/history", response={200: HistoryPage, **ERRORS}, summary="A definition's changes")
def definition_history(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
    definition = _definition(request, id)
    return history_page(entity=services.ENTITY, entity_id=definition.pk, params=page)


@router.post(
    "/{id}/characteristics",
    response={201: FeatureDefinitionOut, **WRITE_ERRORS},
    summary="Add a characteristic to a choice feature",
)
def characteristic_add(request: HttpRequest, id: int, payload: CharacteristicIn) -> Status:
    definition = _definition(request, id, write=True)
    services.characteristic_add(actor=request.user, definition=definition, **payload.model_dump())
    return Status(201, render_definition(_definition(request, id)))


def _characteristic(definition: FeatureDefinition, code: str) -> Characteristic:
    from django.http import Http404

    found = definition.characteristics.filter(code=code).first()
    if found is None:
        raise Http404(f"{definition.key} has no characteristic {code!r}")
    return found


@router.patch(
    "/{id}/characteristics/{code}",
    response={200: FeatureDefinitionOut, **WRITE_ERRORS},
    summary="Relabel, move or recode a characteristic",
)
def characteristic_update(request: HttpRequest, id: int, code: str, payload: CharacteristicPatch) -> Any:
    definition = _definition(request, id, write=True)
    services.characteristic_update(
        actor=request.user,
        characteristic=_characteristic(definition, code),
        **payload.model_dump(exclude_unset=True),
    )
    return render_definition(_definition(request, id))


@router.delete(
    "/{id}/characteristics/{code}",
    response={204: None, 409: RefusedProblem, **ERRORS},
    summary="Remove a characteristic (refused while a value uses it)",
)
def characteristic_remove(request: HttpRequest, id: int, code: str) -> Status:
    definition = _definition(request, id, write=True)
    services.characteristic_remove(actor=request.user, characteristic=_characteristic(definition, code))
    return Status(204, None)
