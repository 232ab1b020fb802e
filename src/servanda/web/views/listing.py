"""What every list page shares: sorting by whitelisted columns, paging, feature filters in the URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from servanda.core.errors import ValidationFailed
from servanda.features.models import FeatureDefinition
from servanda.features.query import apply_feature_params, feature_params
from servanda.parties.access import parties_visible_to

PER_PAGE = 50
OP_LABELS = {"eq": "=", "gte": "≥", "lte": "≤", "gt": ">", "lt": "<", "has": "has", "in": "in"}


@dataclass
class Column:
    key: str
    label: str
    order_by: str | None = None
    numeric: bool = False


@dataclass
class FeatureChip:
    param: str
    label: str
    op: str
    value: str


@dataclass
class ListState:
    page: Page
    sort: str
    columns: list[Column]
    chips: list[FeatureChip] = field(default_factory=list)
    filter_error: str = ""
    definitions: list[FeatureDefinition] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.paginator.count


def feature_filter_redirect(request: HttpRequest) -> str | None:
    """The filter bar's "add feature filter" inputs, folded into a `feature.<key>__<op>` parameter.

    Returns the URL to redirect to, so the filter ends up in the bookmarkable form.
    """
    key = request.GET.get("ff_key", "")
    if "ff_key" not in request.GET:
        return None
    params: QueryDict = request.GET.copy()
    op = params.get("ff_op", "eq")
    value = params.get("ff_value", "").strip()
    for name in ("ff_key", "ff_op", "ff_value", "page"):
        params.pop(name, None)
    if key and value and op in OP_LABELS:
        params[f"feature.{key}" + ("" if op == "eq" else f"__{op}")] = value
    return f"{request.path}?{params.urlencode()}"


def sorted_qs(qs: QuerySet, sort: str, columns: list[Column], default: str) -> tuple[QuerySet, str]:
    by_key = {c.key: c for c in columns if c.order_by}
    name = sort.lstrip("-")
    if name not in by_key:
        sort, name = default, default.lstrip("-")
    order = by_key[name].order_by or name
    desc = sort.startswith("-")
    # The pk breaks ties so paging is stable.
    return qs.order_by(f"-{order}" if desc else order, "-pk" if desc else "pk"), sort


def build_list(
    request: HttpRequest,
    qs: QuerySet,
    *,
    entity: str,
    columns: list[Column],
    default_sort: str,
) -> ListState:
    chips: list[FeatureChip] = []
    error = ""
    definitions = list(FeatureDefinition.objects.filter(entity=entity).order_by("position", "label"))
    labels = {d.key: d.label for d in definitions}
    for key, op, raw in feature_params(request.GET):
        param = f"feature.{key}" + ("" if op == "eq" else f"__{op}")
        chips.append(FeatureChip(param, labels.get(key, key), OP_LABELS.get(op, op), str(raw)))
    try:
        qs = apply_feature_params(qs, entity=entity, params=request.GET)
    except ValidationFailed as exc:
        error = "; ".join(e.message for e in exc.errors) or exc.detail
        qs = qs.none()
    qs, sort = sorted_qs(qs, request.GET.get("sort", default_sort), columns, default_sort)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return ListState(
        page=page, sort=sort, columns=columns, chips=chips, filter_error=error, definitions=definitions
    )


def selected(request: HttpRequest, name: str) -> str:
    return request.GET.get(name, "").strip()


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class Filters:
    """A list page's own filters: text, status, type code and one party (None when not visible)."""

    q: str
    status: str
    type: str
    party: Any
    party_id: int | None

    @property
    def any(self) -> bool:
        return bool(self.q or self.status or self.type or self.party_id)


def list_filters(
    request: HttpRequest,
    qs: QuerySet,
    *,
    matching: Callable[[QuerySet, str], QuerySet],
    type_field: str,
    party_field: str,
) -> tuple[QuerySet, Filters]:
    """`?q=`, `?status=`, `?type=<code>` and `?<party_field>=<id>` applied to `qs`."""
    q = selected(request, "q")
    if q:
        qs = matching(qs, q)
    status = selected(request, "status")
    if status:
        qs = qs.filter(status=status)
    type_code = selected(request, "type")
    if type_code:
        qs = qs.filter(**{f"{type_field}__code": type_code})
    party_id = as_int(request.GET.get(party_field))
    party = parties_visible_to(request.user).filter(pk=party_id).first() if party_id else None
    if party_id:
        # A party the user cannot see filters to nothing rather than being ignored.
        qs = qs.filter(**{f"{party_field}_id": party.pk if party else -1})
    return qs, Filters(q, status, type_code, party, party_id)
