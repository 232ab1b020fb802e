"""`?limit=50&offset=0` → `{"items": [...], "count": N}` for every list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0)


_pages: dict[type, type[Schema]] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The page schema for `item`, named `<Item>Page` in the OpenAPI document."""
    if item not in _pages:
        name = item.__name__.removesuffix("Out") + "Page"
        _pages[item] = create_model(name, __base__=Schema, items=(list[item], ...), count=(int, ...))  # type: ignore[valid-type, call-overload]
    return _pages[item]


def paginate(
    rows: QuerySet[Any] | list[Any],
    params: PageParams,
    render: Callable[[Iterable[Any]], list[Any]],
) -> dict[str, Any]:
    """One COUNT and one sliced query; `render` turns the page's rows into items set-wise."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    window = rows[params.offset : params.offset + params.limit]
    return {"items": render(list(window)), "count": count}
