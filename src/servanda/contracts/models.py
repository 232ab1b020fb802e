from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models

from servanda.core.models import Versioned
from servanda.features.models import FeatureDefinition
from servanda.parties.models import Party


class ContractType(Versioned):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    feature_definitions = models.ManyToManyField(FeatureDefinition, blank=True, related_name="contract_types")
    number_prefix = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contract(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        TERMINATED = "terminated", "Terminated"
        EXPIRED = "expired", "Expired"

    number = models.CharField(max_length=80, unique=True)
    title = models.CharField(max_length=500)
    contract_type = models.ForeignKey(ContractType, on_delete=models.PROTECT, related_name="contracts")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    commencement_date = models.DateField(null=True, blank=True)
    # ISO 8601 calendar durations (P1Y, P3M); empty when not agreed.
    initial_term = models.CharField(max_length=20, blank=True)
    renewal_term = models.CharField(max_length=20, blank=True)
    notice_period = models.CharField(max_length=20, blank=True)
    # Inclusive end of the initial term: explicit, or computed from the initial term.
    end_date = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    features = models.JSONField(default=dict, blank=True)
    team = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A parent known only through its sub-contracts' numbers (e.g. an import).
    is_placeholder = models.BooleanField(default=False)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["parent"], name="contract_parent"),
            models.Index(fields=["status", "contract_type"], name="contract_status_type"),
            models.Index(fields=["party"], name="contract_party"),
            models.Index(fields=["end_date"], name="contract_end"),
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
