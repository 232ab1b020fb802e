"""Abstract bases shared by the domain models."""

from __future__ import annotations

from django.db import models


class Versioned(models.Model):
    """Optimistic locking: every write increments `version`; a stale one is a 409."""

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
