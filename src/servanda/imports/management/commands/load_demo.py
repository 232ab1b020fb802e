"""`servanda load_demo`: the demo login, types, real data (when present) and generated contracts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from servanda.imports.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent): users, types, ../shared/data, maintenance contracts."

    def handle(self, *args: Any, **opts: Any) -> None:
        load_demo(say=self.stdout.write)
        self.stdout.write(f"Demo login: demo / {DEMO_PASSWORD}")
