"""Shapes shared by every resource: problems, pages, money, history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator


class FieldErrorOut(Schema):
    field: str
    message: str


class Problem(Schema):
    """application/problem+json (RFC 9457) with a message per field."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] = []


class ConflictProblem(Problem):
    current: dict[str, Any] | None = Field(None, description="The object as it is now.")


class RefusedProblem(Problem):
    reason: str


class Money(Schema):
    """A money feature value. The amount is a decimal string (e.g. "1234.50"), never a float."""

    amount: str = Field(..., description="Decimal text such as 1234.50 or -12.00.", examples=["1234.50"])
    currency: str = Field(..., description="ISO 4217 code.", examples=["EUR"])


# A feature value as the API writes it: choices by code, multi-choice as a list of codes,
# dates and durations as ISO text, money as Money. The last member keeps odd legacy values readable.
FeatureValue = Money | bool | int | float | str | list[Any] | dict[str, Any] | None
FEATURES_DOC = (
    'Keyed by feature key; choices by characteristic code; money as {"amount": "1234.50", "currency": "EUR"}.'
)


class Input(Schema):
    """Request bodies: an unknown field is a 422, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


def not_null(*fields: str) -> Any:
    """A validator refusing an explicit null on fields a PATCH may omit but never clear."""

    def check(cls: type, value: Any) -> Any:
        if value is None:
            raise ValueError("This field may not be null.")
        return value

    return field_validator(*fields, mode="before")(classmethod(check))  # type: ignore[arg-type]


class Change(Schema):
    field: str
    old: Any = None
    new: Any = None


class HistoryEntry(Schema):
    """One event: who changed what when; `changes` holds each field's old and new value."""

    id: int
    at: datetime
    actor: str
    action: str
    note: str = ""
    changes: list[Change]


class HistoryPage(Schema):
    items: list[HistoryEntry]
    count: int


# The error answers each kind of operation documents (and gives).
ERRORS: dict[int | str, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int | str, Any] = {**ERRORS, 409: ConflictProblem, 428: Problem}
