"""Mapping files (TOML or YAML): which column feeds which field, read how.

The format is documented in docs/IMPORT.md. A mapping is checked when loaded,
so a typo in it is reported before any row is read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ENTITIES = ("contracts", "installations", "coverages", "parties", "maintenance")
NATURAL_KEYS = {
    "contracts": ("number",),
    "installations": ("serial_number",),
    "parties": ("reference", "name"),
    "coverages": ("contract+installation+start",),
    "maintenance": ("installation+performed_at+kind+component",),
}
TYPES = (
    "text",
    "identifier",
    "date",
    "instant",
    "decimal",
    "money",
    "integer",
    "boolean",
    "duration",
    "years_before",
)
_FIELD_KEYS = {
    "column",
    "columns",
    "value",
    "type",
    "formats",
    "format",
    "century",
    "pivot",
    "decimal",
    "thousands",
    "places",
    "currency",
    "true",
    "false",
    "reference",
    "zone",
    "regex",
    "replace",
    "split",
    "part",
    "template",
    "map",
    "case",
    "truncate",
    "shorten",
    "required",
    "open_ended",
    "match",
    "create",
    "placeholder",
    "default",
    "on_error",
}


class MappingError(ValueError):
    """The mapping file itself is wrong; nothing is imported."""


@dataclass(frozen=True)
class FieldSpec:
    target: str  # model field, or "features.<key>"
    columns: tuple[str, ...] = ()
    value: Any = None  # a constant instead of a column
    type: str = "text"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def is_feature(self) -> bool:
        return self.target.startswith("features.")

    @property
    def feature_key(self) -> str:
        return self.target.removeprefix("features.")

    @property
    def label(self) -> str:
        return " / ".join(self.columns) if self.columns else self.target

    def opt(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True)
class Mapping:
    entity: str
    key: str
    fields: tuple[FieldSpec, ...]
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    sheet: str | None = None
    source: str = ""
    setup: dict[str, Any] = field(default_factory=dict)
    path: str = ""

    def columns(self) -> list[str]:
        return [c for f in self.fields for c in f.columns]


def _field(target: str, raw: Any, where: str) -> FieldSpec:
    if not isinstance(raw, dict):
        # `title = "Document Name"` is shorthand for a text column.
        if isinstance(raw, str):
            return FieldSpec(target=target, columns=(raw,))
        raise MappingError(f"{where}: expected a table or a column name")
    unknown = set(raw) - _FIELD_KEYS
    if unknown:
        raise MappingError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    columns: tuple[str, ...] = ()
    if "column" in raw:
        columns = (str(raw["column"]),)
    if "columns" in raw:
        columns = tuple(str(c) for c in raw["columns"])
    if not columns and "value" not in raw:
        raise MappingError(f"{where}: needs `column`, `columns` or `value`")
    kind = str(raw.get("type", "text"))
    if kind not in TYPES:
        raise MappingError(f"{where}: unknown type {kind!r}; known: {', '.join(TYPES)}")
    options = {k: v for k, v in raw.items() if k not in {"column", "columns", "value", "type"}}
    if "format" in options:
        options["formats"] = [options.pop("format")]
    if kind in {"date", "instant"} and not options.get("formats") and "value" not in raw:
        raise MappingError(f"{where}: a {kind} column must declare its format(s); formats are never guessed")
    if kind == "years_before" and "reference" not in options:
        raise MappingError(f"{where}: years_before needs a `reference` date")
    return FieldSpec(target=target, columns=columns, value=raw.get("value"), type=kind, options=options)


def mapping_from_dict(data: dict[str, Any], *, path: str = "") -> Mapping:
    entity = data.get("entity")
    if entity not in ENTITIES:
        raise MappingError(f"{path}: `entity` must be one of {', '.join(ENTITIES)}, got {entity!r}")
    key = str(data.get("key", NATURAL_KEYS[entity][0]))
    if key not in NATURAL_KEYS[entity]:
        raise MappingError(f"{path}: natural key of {entity} must be {' or '.join(NATURAL_KEYS[entity])}")
    fields: list[FieldSpec] = []
    for target, raw in (data.get("fields") or {}).items():
        fields.append(_field(str(target), raw, f"{path}: fields.{target}"))
    for fkey, raw in (data.get("features") or {}).items():
        fields.append(_field(f"features.{fkey}", raw, f"{path}: features.{fkey}"))
    for target, value in (data.get("constants") or {}).items():
        fields.append(FieldSpec(target=str(target), value=value))
    targets = [f.target for f in fields]
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if twice:
        raise MappingError(f"{path}: mapped twice: {', '.join(twice)}")
    delimiter = str(data.get("delimiter", ","))
    if delimiter == "\\t":
        delimiter = "\t"
    if len(delimiter) != 1:
        raise MappingError(f"{path}: delimiter must be one character")
    return Mapping(
        entity=entity,
        key=key,
        fields=tuple(fields),
        delimiter=delimiter,
        encoding=str(data.get("encoding", "utf-8-sig")),
        sheet=data.get("sheet"),
        source=str(data.get("source", "")),
        setup=dict(data.get("setup") or {}),
        path=path,
    )


def load_mapping(path: str | Path) -> Mapping:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(f"cannot read mapping {p}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text) if p.suffix.lower() in {".yaml", ".yml"} else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise MappingError(f"{p}: {exc}") from None
    if not isinstance(data, dict):
        raise MappingError(f"{p}: a mapping is a table of settings")
    return mapping_from_dict(data, path=str(p))
