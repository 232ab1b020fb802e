"""Feature definitions: typed attributes administrators define without a developer."""

from __future__ import annotations

from django.db import models

from servanda.core.models import Versioned


class Entity(models.TextChoices):
    CONTRACT = "contract", "Contract"
    INSTALLATION = "installation", "Installation"
    CASE = "case", "Case"
    PARTY = "party", "Party"


class DataType(models.TextChoices):
    TEXT = "text", "Text"
    INTEGER = "integer", "Integer"
    DECIMAL = "decimal", "Decimal"
    BOOLEAN = "boolean", "Yes/no"
    DATE = "date", "Date"
    DURATION = "duration", "Duration"
    MONEY = "money", "Money"
    CHOICE = "choice", "Choice"
    MULTI_CHOICE = "multi_choice", "Multiple choice"
    REFERENCE = "reference", "Reference"


class FeatureDefinition(Versioned):
    entity = models.CharField(max_length=20, choices=Entity.choices)
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    data_type = models.CharField(max_length=20, choices=DataType.choices)
    unit = models.CharField(max_length=30, blank=True)
    required = models.BooleanField(default=False)
    default = models.JSONField(null=True, blank=True)
    # For data_type == reference: which entity the value points at.
    reference_entity = models.CharField(max_length=20, choices=Entity.choices, blank=True)
    help_text = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    indexed = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "key"], name="featuredef_entity_key")]
        ordering = ["entity", "position", "key"]

    def __str__(self) -> str:
        return f"{self.entity}.{self.key}"


class Characteristic(models.Model):
    """An allowed value of a choice feature: a code stored, a label shown."""

    definition = models.ForeignKey(
        FeatureDefinition, on_delete=models.CASCADE, related_name="characteristics"
    )
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["definition", "code"], name="characteristic_code")]
        ordering = ["definition", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.label})"
