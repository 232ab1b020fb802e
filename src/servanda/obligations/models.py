"""Planned obligations: templates on contract types, obligations on contracts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servanda.contracts.models import Contract, ContractType
from servanda.core.models import Versioned
from servanda.rules.recurrence import Interval, Recurrence
from servanda.work.models import Role


class Scope(models.TextChoices):
    CONTRACT = "contract", "The contract as a whole"
    INSTALLATION = "installation", "Each covered installation"


class Mode(models.TextChoices):
    ANCHORED = "anchored", "Anchored: occurrences from the anchor"
    FLOATING = "floating", "Floating: next one counted from the last completion"


class Unit(models.TextChoices):
    DAY = "day", "days"
    WEEK = "week", "weeks"
    MONTH = "month", "months"
    YEAR = "year", "years"


class PlannedFields(Versioned):
    """What a template and an obligation share.

    Recurrence is either `interval_unit` + `interval` ("every 6 months") or an RFC 5545
    `rrule` text, stored exactly as given.
    """

    description = models.CharField(max_length=500)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responsible_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.CONTRACT)
    interval_unit = models.CharField(max_length=10, choices=Unit.choices, blank=True)
    interval = models.PositiveIntegerField(null=True, blank=True)
    rrule = models.TextField(blank=True)
    lead_days = models.PositiveIntegerField(default=14)
    estimated_minutes = models.PositiveIntegerField(null=True, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ANCHORED)

    class Meta:
        abstract = True

    @property
    def recurrence(self) -> Recurrence:
        if self.rrule:
            return Recurrence(rule=self.rrule)
        return Recurrence(interval=Interval(self.interval_unit, self.interval or 1))


class ObligationTemplate(PlannedFields):
    """Copied onto every new contract of its type; the copy is then the contract's own."""

    contract_type = models.ForeignKey(
        ContractType, on_delete=models.CASCADE, related_name="obligation_templates"
    )

    class Meta:
        ordering = ["contract_type", "id"]

    def __str__(self) -> str:
        return self.description


class Obligation(PlannedFields):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    template = models.ForeignKey(
        ObligationTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="obligations"
    )
    # The first occurrence. Empty: the contract's commencement (scope contract) or each
    # installation's coverage start (scope installation).
    anchor_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    # Watermark: occurrences up to here exist, so a tick only looks beyond it.
    generated_until = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["active", "generated_until"], name="obligation_active_until"),
            models.Index(fields=["contract", "active"], name="obligation_contract_active"),
        ]
        ordering = ["contract", "id"]

    def __str__(self) -> str:
        return self.description


class ScheduleRun(models.Model):
    """One generation run (tick or change): its `today`, scope and counts."""

    at = models.DateTimeField(auto_now_add=True)
    today = models.DateField()
    horizon_end = models.DateField()
    trigger = models.CharField(max_length=20)  # tick | change
    contract_count = models.PositiveIntegerField(null=True, blank=True)  # None: all contracts
    created = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"
