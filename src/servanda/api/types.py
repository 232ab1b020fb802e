"""REST endpoints for contract types and installation types: one shape, one set of endpoints.

Both say which feature definitions apply to their objects; their services live in
features.kinds. Everyone signed in reads them; administrators change them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from servanda.contracts.access import contract_types_visible_to, get_contract_type_for
from servanda.contracts.models import ContractType
from servanda.features import kinds
from servanda.features.access import require_administrator
from servanda.installations.access import get_installation_type_for, installation_types_visible_to
from servanda.installations.models import InstallationType

from .common import ordered, patch_changes
from .errors import CURRENT_RENDERERS
from .history import history_page
from .pagination import PageParams, page_of, paginate
from .schemas import ERRORS, WRITE_ERRORS, HistoryPage, Input, RefusedProblem, not_null

contract_types_router = Router(tags=["contract types"])
installation_types_router = Router(tags=["installation types"])


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
    delete: Callable[..., Any],
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
        version, changes = patch_changes(request, payload)
        return render_type(update(actor=request.user, obj=obj, version=version, **changes))

    type_update.__annotations__["payload"] = patch_in
    router.patch(
        "/{id}",
        response={200: out, **WRITE_ERRORS},
        summary=f"Change a {noun}",
        operation_id=f"{entity}_update",
    )(type_update)

    @router.delete(
        "/{id}",
        response={204: None, 409: RefusedProblem, **ERRORS},
        summary=f"Delete a {noun} (refused while in use)",
        operation_id=f"{entity}_delete",
    )
    def type_delete(request: HttpRequest, id: int) -> Status:
        delete(actor=request.user, obj=get_for(request.user, id, write=True))
        return Status(204, None)

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
    delete=lambda *, obj, **kw: kinds.contract_type_delete(contract_type=obj, **kw),
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
    delete=lambda *, obj, **kw: kinds.installation_type_delete(installation_type=obj, **kw),
)
