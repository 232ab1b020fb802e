"""`servanda token USERNAME` prints a new API token; `--revoke` revokes the user's tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from servanda.api.services import token_create, token_revoke_all


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (shown once), or revoke all of the user's tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="A label to tell tokens apart, e.g. 'erp sync'.")
        parser.add_argument("--revoke", action="store_true", help="Revoke every active token of the user.")

    def handle(self, *args: Any, username: str, name: str, revoke: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if revoke:
            count = token_revoke_all(actor=None, user=user)
            self.stdout.write(f"revoked {count} token(s) of {username}")
            return
        if not user.is_active:
            raise CommandError(f"user {username!r} is inactive")
        _, raw = token_create(actor=None, user=user, name=name)
        # Only the token on stdout, so scripts can capture it: `TOKEN=$(servanda token alice)`.
        self.stdout.write(raw)
