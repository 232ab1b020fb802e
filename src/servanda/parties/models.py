from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models

from servanda.core.models import Versioned


class Party(Versioned):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        PERSON = "person", "Person"

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    # Natural key from the source system (import); unique when present.
    reference = models.CharField(max_length=120, null=True, blank=True, unique=True)
    birth_date = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    address = models.TextField(blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True)
    team = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["name"], name="party_name")]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
