"""Issuing and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from servanda.events.services import event_record, event_record_many

from .models import ApiToken

# A token's last_used_at is refreshed at most this often, so reads don't each write.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, actor: Any, user: Any, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; the raw token is returned once and never stored."""
    raw = "sv_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=token_hash(raw), prefix=raw[:10])
        event_record(
            actor=actor,
            entity="api_token",
            entity_id=token.pk,
            action="created",
            changes={"user": {"old": None, "new": user.get_username()}, "name": {"old": None, "new": name}},
        )
    return token, raw


def token_revoke_all(*, actor: Any, user: Any) -> int:
    """Revoke every active token of `user`; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("pk", flat=True))
        ApiToken.objects.filter(pk__in=ids).update(revoked_at=now)
        event_record_many(
            actor=actor,
            entity="api_token",
            action="revoked",
            items=[(pk, {"revoked_at": {"old": None, "new": now}}) for pk in ids],
        )
    return len(ids)


def token_revoke(*, actor: Any, token: ApiToken) -> None:
    now = timezone.now()
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
        if updated:
            event_record(
                actor=actor,
                entity="api_token",
                entity_id=token.pk,
                action="revoked",
                changes={"revoked_at": {"old": None, "new": now}},
            )
    token.revoked_at = token.revoked_at or now


def token_user(raw: str) -> Any | None:
    """The active user a raw token belongs to, or None; notes when it was used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
