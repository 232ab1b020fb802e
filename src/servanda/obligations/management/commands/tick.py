"""`servanda tick [--today YYYY-MM-DD]`: the cron-friendly scheduler run.

Idempotent and catch-up safe: run it daily, twice, or after a week of downtime — the
work items are the same (DESIGN convention 6).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from servanda.contracts.lifecycle import contracts_expire_due
from servanda.obligations.generation import schedule_generate


class Command(BaseCommand):
    help = "Generate planned work and notice reminders up to today + the horizon."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="the day to run as (YYYY-MM-DD); default: today in the site's zone"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("today")
        try:
            today = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD, not {raw!r}") from exc
        expired = contracts_expire_due(actor=None, today=today)
        result = schedule_generate(today=today, trigger="tick")
        self.stdout.write(
            f"tick {today.isoformat()}: {result.created} planned item(s) and {result.notices} notice "
            f"reminder(s) created, {result.cancelled} cancelled, {result.reopened} reopened "
            f"({result.obligations} obligation(s) looked at); {expired} contract(s) expired"
        )
