"""Domain errors raised by services; the API and pages map them to HTTP answers.

ValidationFailed → 422, VersionConflict → 409 (with the current object),
VersionRequired → 428, Refused → 409 (with the reason), NotFound → 404,
ReadOnly → 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ValidationFailed(DomainError):
    def __init__(self, errors: list[FieldError], detail: str = "The input is not valid.") -> None:
        super().__init__(detail)
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)], f"{field}: {message}")


class VersionConflict(DomainError):
    def __init__(self, current: Any, detail: str = "Someone else changed this in the meantime.") -> None:
        super().__init__(detail)
        self.current = current


class VersionRequired(DomainError):
    pass


class Refused(DomainError):
    pass


class NotFound(DomainError):
    pass


class ReadOnly(DomainError):
    pass
