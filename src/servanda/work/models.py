"""People, roles and the one thing they work on: the work item."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models

from servanda.core.models import Versioned


class Role(Versioned):
    """A department or responsibility ("Service North"); its open items form a queue."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="work_roles")
    # The team whose contracts this role serves; notice reminders of a team's
    # contracts go to its role marked `receives_notice_reminders`.
    team = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    receives_notice_reminders = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkItem(Versioned):
    class Kind(models.TextChoices):
        PLANNED = "planned", "Planned work"
        NOTICE = "notice", "Notice deadline"
        SERVICE = "service", "Service action"
        CASE = "case", "Case action"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PLANNED)
    # One per occurrence, e.g. `obl:12:inst:40:2026-03-31` or `notice:7:2026-06-28`:
    # generation inserts only missing keys, so it never duplicates.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # What made it and why.
    obligation = models.ForeignKey(
        "obligations.Obligation", null=True, blank=True, on_delete=models.PROTECT, related_name="work_items"
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="work_items"
    )
    installation = models.ForeignKey(
        "installations.Installation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    occurrence_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    due_date = models.DateField()
    visible_from = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_items"
    )
    assignee_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_items"
    )
    estimated_minutes = models.PositiveIntegerField(null=True, blank=True)

    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)  # local calendar day; floating mode counts from it
    completion_note = models.TextField(blank=True)

    # What a person did; regeneration never overwrites these items (DESIGN convention 10).
    moved = models.BooleanField(default=False)
    reassigned = models.BooleanField(default=False)
    # Cancelled by the schedule (coverage ended, contract terminated, rule changed), not
    # by a person: such an item may be reopened when the occurrence is wanted again.
    cancelled_by_schedule = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["assignee_user", "status", "due_date"], name="workitem_user_status_due"),
            models.Index(fields=["assignee_role", "status", "due_date"], name="workitem_role_status_due"),
            models.Index(fields=["contract", "status"], name="workitem_contract_status"),
            models.Index(fields=["obligation", "installation", "status"], name="workitem_obligation"),
            models.Index(fields=["installation", "due_date"], name="workitem_installation_due"),
            models.Index(fields=["due_date"], name="workitem_due"),
        ]
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def touched(self) -> bool:
        """A person moved, reassigned, started, completed or cancelled it."""
        return (
            self.moved
            or self.reassigned
            or self.status in (self.Status.IN_PROGRESS, self.Status.DONE)
            or (self.status == self.Status.CANCELLED and not self.cancelled_by_schedule)
        )


class CalendarToken(models.Model):
    """A secret feed URL for one person's work, or one role's queue; revocable.

    Only a SHA-256 digest of the token is kept: the URL is shown once at creation.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=200, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
