"""The append-only event log: the audit trail and the input of rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so the trail still names a person after the account is removed.
    actor_name = models.CharField(max_length=150, blank=True)
    entity = models.CharField(max_length=40)
    entity_id = models.BigIntegerField()
    action = models.CharField(max_length=40)
    # {"field": {"old": ..., "new": ...}}; features appear as "features.<key>".
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["entity", "entity_id", "-at"], name="event_entity_at"),
            models.Index(fields=["-at"], name="event_at"),
        ]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.entity}#{self.entity_id} {self.action}"
