"""What an import did: counts and every rejected row with its column and reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Rejection:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(slots=True)
class Row:
    """One record on its way in: parsed values, then resolved database values."""

    number: int
    values: dict[str, Any]
    features: dict[str, Any]
    columns: dict[str, str]
    errors: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    db: dict[str, Any] = field(default_factory=dict)
    key: Any = None

    def reject(self, target: str, reason: str) -> None:
        self.errors.append(Rejection(self.number, self.columns.get(target, target), reason))


@dataclass
class Report:
    file: str = ""
    entity: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    placeholders: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False
    lenient: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({r.row for r in self.rejected})

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "entity": self.entity,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "placeholders": self.placeholders,
            "rejected": [r.as_dict() for r in self.rejected],
            "rejected_rows": self.rejected_rows,
            "warnings": [w.as_dict() for w in self.warnings],
            "committed": self.committed,
            "dry_run": self.dry_run,
        }

    def summary(self) -> str:
        if self.dry_run:
            state = "dry run, nothing written"
        elif self.committed:
            state = "committed"
        else:
            state = "nothing written"
        text = (
            f"{self.file}: {self.rows} rows, {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected_rows} rejected"
        )
        if self.placeholders:
            text += f", {self.placeholders} placeholder parents"
        if self.warnings:
            text += f", {len(self.warnings)} warnings"
        return f"{text} ({state})"
