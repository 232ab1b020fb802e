"""What every list page shares: sorting by whitelisted columns, paging, feature filters in the URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from servanda.core.errors import ValidationFailed
from servanda.features.models import FeatureDefinition
from servanda.features.query import apply_feature_params, feature_params

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
