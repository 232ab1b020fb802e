"""REST endpoints for what administrators model: feature definitions (with their
characteristics), contract types and installation types.

Everyone signed in reads them; administrators change them (features.access).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.api.common import ordered
from servanda.api.errors import CURRENT_RENDERERS
from servanda.api.history import history_page
from servanda.api.pagination import PageParams, page_of, paginate
from servanda.api.schemas import ConflictProblem, HistoryPage, Input, Problem, RefusedProblem, not_null
from servanda.contracts.access import contract_types_visible_to, get_contract_type_for
from servanda.contracts.models import ContractType
from servanda.installations.access import get_installation_type_for, installation_types_visible_to
from servanda.installations.models import InstallationType

from . import kinds, services
from .access import feature_definitions_visible_to, get_feature_definition_for, require_administrator
from .models import Characteristic, DataType, Entity, FeatureDefinition

router = Router(tags=["feature definitions"])
contract_types_router = Router(tags=["contract types"])
installation_types_router = Router(tags=["installation types"])

ERRORS: dict[int | str, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int | str, Any] = {**ERRORS, 409: ConflictProblem, 428: Problem}


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
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
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


# Contract types and installation types: the same shape, one set of endpoints each.


class TypeOut(Schema):
    id: int
    code: str
    name: str
    description: str
    feature_definitions: list[str] = Field(..., description="Keys of the features this type carries.")
    version: int


class ContractTypeOut(TypeOut):
    number_prefix: str


class TypeIn(Input):
    code: str = Field(..., max_length=60)
    name: str
    description: str = ""
    feature_definitions: list[str | int] = Field(default_factory=list, description="Feature keys or ids.")


class ContractTypeIn(TypeIn):
    number_prefix: str = ""


class TypePatch(Input):
    version: int | None = Field(None, description="The version you read; required.")
    code: str | None = Field(None, max_length=60)
    name: str | None = None
    description: str | None = None
    feature_definitions: list[str | int] | None = None

    _not_null = not_null("code", "name", "description", "feature_definitions")


class ContractTypePatch(TypePatch):
    number_prefix: str | None = None

    _not_null_prefix = not_null("number_prefix")


def render_types(types: Iterable[Any]) -> list[dict[str, Any]]:
    out = []
    for t in types:
        row = {
            "id": t.pk,
            "code": t.code,
            "name": t.name,
            "description": t.description,
            "feature_definitions": sorted(d.key for d in t.feature_definitions.all()),
            "version": t.version,
        }
        if isinstance(t, ContractType):
            row["number_prefix"] = t.number_prefix
        out.append(row)
    return out


def render_type(t: Any) -> dict[str, Any]:
    return render_types([t])[0]


CURRENT_RENDERERS[ContractType] = render_type
CURRENT_RENDERERS[InstallationType] = render_type


def _type_endpoints(
    router: Router,
    *,
    model: type[Model],
    noun: str,
    entity: str,
    out: type[Schema],
    create_in: type[Schema],
    patch_in: type[Schema],
    visible: Callable[[Any], QuerySet[Any]],
    get_for: Callable[..., Any],
    create: Callable[..., Any],
    update: Callable[..., Any],
) -> None:
    @router.get(
        "", response={200: page_of(out), **ERRORS}, summary=f"List {noun}s", operation_id=f"{entity}_list"
    )
    def type_list(
        request: HttpRequest, page: Query[PageParams], ordering: str | None = None
    ) -> dict[str, Any]:
        qs = visible(request.user).prefetch_related("feature_definitions")
        return paginate(ordered(qs, ordering, ("code", "name", "id")), page, render_types)

    def type_create(request: HttpRequest, payload: Any) -> Status:
        require_administrator(request.user, model)
        return Status(201, render_type(create(actor=request.user, **payload.model_dump())))

    # Annotations are strings here (PEP 563); ninja needs the real body schema of this type.
    type_create.__annotations__["payload"] = create_in
    router.post(
        "", response={201: out, **ERRORS}, summary=f"Create a {noun}", operation_id=f"{entity}_create"
    )(type_create)

    @router.get(
        "/{id}", response={200: out, **ERRORS}, summary=f"One {noun}", operation_id=f"{entity}_detail"
    )
    def type_detail(request: HttpRequest, id: int) -> dict[str, Any]:
        return render_type(get_for(request.user, id))

    def type_update(request: HttpRequest, id: int, payload: Any) -> dict[str, Any]:
        obj = get_for(request.user, id, write=True)
        changes = payload.model_dump(exclude_unset=True)
        version = changes.pop("version", None)
        return render_type(update(actor=request.user, obj=obj, version=version, **changes))

    type_update.__annotations__["payload"] = patch_in
    router.patch(
        "/{id}",
        response={200: out, **WRITE_ERRORS},
        summary=f"Change a {noun}",
        operation_id=f"{entity}_update",
    )(type_update)

    @router.get(
        "/{id}/history",
        response={200: HistoryPage, **ERRORS},
        summary=f"A {noun}'s changes",
        operation_id=f"{entity}_history",
    )
    def type_history(request: HttpRequest, id: int, page: Query[PageParams]) -> dict[str, Any]:
        obj = get_for(request.user, id)
        return history_page(entity=entity, entity_id=obj.pk, params=page)


_type_endpoints(
    contract_types_router,
    model=ContractType,
    noun="contract type",
    entity="contract_type",
    out=ContractTypeOut,
    create_in=ContractTypeIn,
    patch_in=ContractTypePatch,
    visible=contract_types_visible_to,
    get_for=get_contract_type_for,
    create=kinds.contract_type_create,
    update=lambda *, obj, **kw: kinds.contract_type_update(contract_type=obj, **kw),
)
_type_endpoints(
    installation_types_router,
    model=InstallationType,
    noun="installation type",
    entity="installation_type",
    out=TypeOut,
    create_in=TypeIn,
    patch_in=TypePatch,
    visible=installation_types_visible_to,
    get_for=get_installation_type_for,
    create=kinds.installation_type_create,
    update=lambda *, obj, **kw: kinds.installation_type_update(installation_type=obj, **kw),
)
