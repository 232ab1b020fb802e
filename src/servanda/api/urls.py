"""The REST API root: `/api/`, OpenAPI at `/api/openapi.json`, docs at `/api/docs`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from servanda.contracts.api import router as contracts_router
from servanda.features.api import router as features_router
from servanda.installations.api import router as installations_router
from servanda.installations.api_coverage import coverages_router
from servanda.obligations.api import router as obligations_router
from servanda.obligations.api_templates import router as obligation_templates_router
from servanda.parties.api import router as parties_router
from servanda.work.api import router as work_items_router
from servanda.work.api_people import roles_router as work_roles_router
from servanda.work.api_people import tokens_router as calendar_tokens_router

from . import errors
from .auth import bearer, session
from .schemas import Problem
from .types import contract_types_router, installation_types_router

DESCRIPTION = """
Servanda's REST API. Authenticate with `Authorization: Bearer <token>`
(`servanda token USERNAME` prints one) or, from the pages, the session cookie with
the `X-CSRFToken` header on unsafe requests.

Lists take `?limit=50&offset=0` and answer `{"items": [...], "count": N}`; filters
are named after fields (`?status=active&party=12`), features filter as
`?feature.<key>=<value>` and ranges as `?feature.<key>__gte=10` (`__gt`, `__lte`,
`__lt`). Changes (`PATCH`) must carry the `version` you read: a stale one is a 409
with the current object, a missing one a 428. Errors are `application/problem+json`
with a message per field.
"""

api = NinjaAPI(
    title="Servanda API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[bearer, session],
)
errors.install(api)


class MeOut(Schema):
    username: str
    is_superuser: bool


@api.get("/me", response={200: MeOut, 401: Problem}, tags=["auth"], summary="Who am I")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(username=user.get_username(), is_superuser=user.is_superuser)


api.add_router("/parties", parties_router)
api.add_router("/feature-definitions", features_router)
api.add_router("/contract-types", contract_types_router)
api.add_router("/installation-types", installation_types_router)
api.add_router("/contracts", contracts_router)
api.add_router("/installations", installations_router)
api.add_router("/coverages", coverages_router)
api.add_router("/roles", work_roles_router)
api.add_router("/work-items", work_items_router)
api.add_router("/calendar-tokens", calendar_tokens_router)
api.add_router("/obligations", obligations_router)
api.add_router("/obligation-templates", obligation_templates_router)
