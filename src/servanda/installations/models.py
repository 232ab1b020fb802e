from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models

from servanda.contracts.models import Contract
from servanda.core.models import Versioned
from servanda.features.models import FeatureDefinition
from servanda.parties.models import Party


class InstallationType(Versioned):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    feature_definitions = models.ManyToManyField(
        FeatureDefinition, blank=True, related_name="installation_types"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Installation(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "In service"
        OUT_OF_SERVICE = "out_of_service", "Out of service"
        DECOMMISSIONED = "decommissioned", "Decommissioned"

    serial_number = models.CharField(max_length=120, unique=True)
    product = models.CharField(max_length=200, blank=True)
    model = models.CharField(max_length=200, blank=True)
    installation_type = models.ForeignKey(
        InstallationType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="installations",
    )
    owner = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="installations"
    )
    site = models.CharField(max_length=300, blank=True)
    installed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="modules"
    )
    features = models.JSONField(default=dict, blank=True)
    team = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["parent"], name="installation_parent"),
            models.Index(fields=["owner"], name="installation_owner"),
            models.Index(fields=["model"], name="installation_model"),
        ]
        ordering = ["serial_number"]

    def __str__(self) -> str:
        return self.serial_number


class Coverage(Versioned):
    """An installation covered by a contract over `[start, end_excl)`.

    Stored half-open (DESIGN convention 2); the API and pages show the inclusive end.
    `end_excl` NULL means open-ended. The same pair never overlaps itself.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="coverages")
    installation = models.ForeignKey(Installation, on_delete=models.PROTECT, related_name="coverages")
    start = models.DateField()
    end_excl = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["installation", "start", "end_excl"], name="coverage_inst_period"),
            models.Index(fields=["contract", "start", "end_excl"], name="coverage_contract_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_excl__isnull=True) | models.Q(end_excl__gt=models.F("start")),
                name="coverage_end_after_start",
            )
        ]
        ordering = ["start", "id"]


class MaintenanceRecord(models.Model):
    """Maintenance done on an installation (history; imported or recorded)."""

    installation = models.ForeignKey(
        Installation, on_delete=models.CASCADE, related_name="maintenance_records"
    )
    performed_at = models.DateTimeField()
    kind = models.CharField(max_length=40, default="maintenance")
    component = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "performed_at", "kind", "component"],
                name="maintenance_unique",
            )
        ]
        ordering = ["-performed_at"]
