"""One cell → one typed value, as its FieldSpec declares (wraps rules.importvalues)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import Any

from servanda.rules import importvalues as iv

from .mapping import FieldSpec, MappingError
from .readers import Cell, NumberCell


def _text_of(cell: Cell) -> str:
    if isinstance(cell, NumberCell):
        return iv.excel_number_text(cell.value, cell.number_format)
    return cell


def _transform(spec: FieldSpec) -> Callable[[str], str | None]:
    """Text transforms, in a fixed order: split/part, regex, replace, map, case, template, shorten, truncate."""
    split, part = spec.opt("split"), int(spec.opt("part", 0))
    regex = re.compile(spec.opt("regex")) if spec.opt("regex") else None
    replaces = [(re.compile(p), r) for p, r in spec.opt("replace", [])]
    table = {str(k): v for k, v in (spec.opt("map") or {}).items()}
    case, template, truncate = spec.opt("case"), spec.opt("template"), spec.opt("truncate")
    shorten = spec.opt("shorten")
    if case not in {None, "upper", "lower", "title"}:
        raise MappingError(f"{spec.target}: case must be upper, lower or title")

    def apply(text: str) -> str | None:
        text = text.strip()
        if split is not None:
            pieces = text.split(split)
            text = pieces[part].strip() if len(pieces) > part else ""
        if regex is not None:
            found = regex.search(text)
            if not found:
                raise iv.ImportValueError(f"{text!r} does not match the pattern {regex.pattern!r}")
            text = (found.group(1) if found.groups() else found.group(0)).strip()
        for pattern, repl in replaces:
            text = pattern.sub(repl, text).strip()
        if table:
            if text in table:
                mapped = table[text]
                return None if mapped is None else str(mapped)
            if "*" in table:
                return None if table["*"] is None else str(table["*"])
        if case:
            text = getattr(text, case)()
        if template and text:
            text = template.format(text)
        if shorten and len(text) > int(shorten):
            # Stays unique and stable: the cut text plus a digest of the whole.
            digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]
            text = f"{text[: int(shorten) - 9].rstrip()}~{digest}"
        if truncate and len(text) > int(truncate):
            text = text[: int(truncate) - 1].rstrip() + "…"
        return text

    return apply


def _memo(read: Callable[[Cell], Any]) -> Callable[[Cell], Any]:
    """Cache by cell text: a column repeats few distinct dates, terms and amounts.

    Values are immutable (dates, durations, decimals) or never mutated downstream
    (money dicts are copied by the feature check); failures are cached as well.
    """
    cache: dict[str, tuple[bool, Any]] = {}

    def cached(cell: Cell) -> Any:
        if not isinstance(cell, str):
            return read(cell)
        hit = cache.get(cell)
        if hit is None:
            try:
                hit = (True, read(cell))
            except iv.ImportValueError as exc:
                hit = (False, exc)
            if len(cache) > 100_000:
                cache.clear()
            cache[cell] = hit
        if hit[0]:
            return hit[1]
        raise hit[1]

    return cached


def converter(spec: FieldSpec, *, today: dt.date) -> Callable[[Cell], Any]:
    """A function cell → value (None when empty); raises ImportValueError quoting the cell."""
    read = _converter(spec, today=today)
    return read if spec.type in {"text", "identifier"} else _memo(read)


def _converter(spec: FieldSpec, *, today: dt.date) -> Callable[[Cell], Any]:
    transform = _transform(spec)
    kind = spec.type
    formats = list(spec.opt("formats", []))
    open_words = spec.opt("open_ended", False)

    def read_text(cell: Cell) -> str | None:
        text = transform(_text_of(cell))
        return text or None

    def is_open(text: str) -> bool:
        return bool(open_words) and text.strip().lower() in iv.OPEN_WORDS

    if kind in {"text", "identifier"}:
        return read_text

    if kind == "date":
        century, pivot = spec.opt("century", "pivot"), int(spec.opt("pivot", 69))

        def read_date(cell: Cell) -> Any:
            # A numeric XLSX cell in a date column is the workbook's own date: an Excel serial.
            if isinstance(cell, NumberCell):
                return iv.excel_serial_to_date(cell.value, cell=cell.coordinate)
            text = read_text(cell)
            if text is None:
                return None
            if is_open(text):
                return iv.OPEN_ENDED
            return iv.parse_date(
                text, [f for f in formats if f != "excel"], century=century, pivot=pivot, today=today
            )

        return read_date

    if kind == "instant":
        zone = spec.opt("zone", "UTC")

        def read_instant(cell: Cell) -> Any:
            text = read_text(cell)
            return None if text is None else iv.parse_instant(text, formats, zone=zone)

        return read_instant

    if kind in {"decimal", "money", "integer"}:
        decimal, thousands = spec.opt("decimal", "."), spec.opt("thousands", ",")
        places = spec.opt("places", 2 if kind == "money" else None)
        currency = spec.opt("currency", "EUR")

        def read_number(cell: Cell) -> Any:
            if isinstance(cell, NumberCell):
                text = repr(cell.value) if isinstance(cell.value, float) else str(cell.value)
                number = iv.parse_decimal(text, decimal=".", thousands="", places=places)
            else:
                raw = read_text(cell)
                if raw is None:
                    return None
                number = iv.parse_decimal(raw, decimal=decimal, thousands=thousands, places=places)
            if kind == "integer":
                if number != number.to_integral_value():
                    raise iv.ImportValueError(f"{_text_of(cell)!r} is not a whole number")
                return int(number)
            if kind == "money":
                return {"amount": iv.decimal_text(number), "currency": currency}
            return number

        return read_number

    if kind == "boolean":
        true = spec.opt("true", iv.TRUE_WORDS)
        false = spec.opt("false", iv.FALSE_WORDS)

        def read_bool(cell: Cell) -> Any:
            text = read_text(cell)
            return None if text is None else iv.parse_boolean(text, true=true, false=false)

        return read_bool

    if kind == "duration":

        def read_duration(cell: Cell) -> Any:
            text = read_text(cell)
            if text is None:
                return None
            found = iv.parse_duration_text(text)
            if found is iv.OPEN_ENDED and not open_words:
                raise iv.ImportValueError(f"{text!r}: an open-ended term is not allowed here")
            return found

        return read_duration

    if kind == "years_before":
        reference = dt.date.fromisoformat(str(spec.opt("reference")))

        def read_age(cell: Cell) -> Any:
            text = read_text(cell)
            if text is None:
                return None
            return iv.years_before(reference, iv.parse_integer(text))

        return read_age

    raise MappingError(f"{spec.target}: unknown type {kind!r}")
