"""Parties: imported by reference (or name), and found or created from other imports' columns."""

from __future__ import annotations

from typing import Any

from servanda.events.services import event_record_many
from servanda.parties.models import Party

from ..report import Report, Row
from .base import Target, chunks, lookup


class PartyResolver:
    """A party column of a contract or installation import → party ids.

    `match` is "name" (default) or "reference"; with `create = true` a party that
    does not exist yet is created (named after the cell), otherwise the row is rejected.
    """

    def __init__(self, actor: Any, options: dict[str, Any], note: str) -> None:
        self.actor, self.note = actor, note
        self.match = options.get("match", "name")
        self.create = bool(options.get("create", False))

    def resolve(self, rows: list[Row], target: str, report: Report) -> None:
        wanted: set[Any] = {r.values.get(target) for r in rows if r.values.get(target) and not r.errors}
        if not wanted:
            return
        found = lookup(Party, self.match, wanted)
        missing = sorted(wanted - set(found))
        if missing and self.create:
            made = [
                Party(name=m[:300], **({"reference": m} if self.match == "reference" else {}))
                for m in missing
            ]
            Party.objects.bulk_create(made, batch_size=1000)
            event_record_many(
                actor=self.actor,
                entity="party",
                action="created",
                items=[(p.pk, {"name": {"old": None, "new": p.name}}) for p in made],
                note=self.note,
            )
            found.update({m: p.pk for m, p in zip(missing, made, strict=True)})
        for row in rows:
            value = row.values.get(target)
            if value is None:
                continue
            if value in found:
                row.db[target] = found[value]
            else:
                row.reject(target, f"no party with {self.match} {value!r}")


class PartyTarget(Target):
    model = Party
    entity = "party"
    fields = ("reference", "name", "kind", "birth_date", "email", "phone", "address", "city", "country")

    def __init__(self, *, actor: Any, source: str, note: str, key: str = "reference") -> None:
        super().__init__(actor=actor, source=source, note=note)
        self.key_target = key

    def prepare(self, row: Row) -> None:
        kind = row.values.get("kind")
        if kind is not None and kind not in Party.Kind.values:
            row.reject("kind", f"kind {kind!r} is not one of {', '.join(Party.Kind.values)}")
        super().prepare(row)

    def key_of(self, row: Row) -> Any:
        return row.db.get(self.key_target)

    def fetch_existing(self, keys: list[Any]) -> dict[Any, dict[str, Any]]:
        out: dict[Any, dict[str, Any]] = {}
        for part in chunks(keys):
            qs = Party.objects.filter(**{f"{self.key_target}__in": part}).order_by("-pk")
            for item in qs.values("id", "version", *self.fields):
                out[item[self.key_target]] = item  # lowest id wins for duplicate names
        return out

    def check_new(self, row: Row) -> None:
        if not row.db.get("name"):
            row.reject("name", "a party needs a name")
