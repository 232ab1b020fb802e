"""Roles admin page: the departments work is assigned to, and who is in them.

Everyone signed in may see the roles; creating and changing them is for administrators
(`access.get_role_for(write=True)`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from servanda.core.errors import ValidationFailed, VersionConflict
from servanda.core.scope import can_write
from servanda.web.forms.base import VersionedForm
from servanda.work import services
from servanda.work.access import get_role_for, roles_visible_to
from servanda.work.models import Role

from .common import active_users, user_label


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


class RoleForm(VersionedForm):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    team = forms.ModelChoiceField(
        label="Team served",
        queryset=Group.objects.order_by("name"),
        required=False,
        help_text="Notice reminders of this team's contracts go to the role marked for them.",
    )
    receives_notice_reminders = forms.BooleanField(label="Receives notice reminders", required=False)
    members = PeopleField(
        label="Members", queryset=active_users(), required=False, widget=forms.CheckboxSelectMultiple
    )


def _may_add(user: Any) -> bool:
    return bool(user.is_superuser or can_write(user, Role, "add"))


def _may_change(user: Any) -> bool:
    return bool(user.is_superuser or can_write(user, Role))


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    roles = roles_visible_to(request.user).select_related("team").prefetch_related("members").order_by("name")
    context = {
        "roles": roles,
        "may_change": _may_change(request.user),
        "form": RoleForm() if _may_add(request.user) else None,
    }
    return render(request, "work/roles.html", context)


@login_required
def role_new(request: HttpRequest) -> HttpResponse:
    if not _may_add(request.user):
        raise PermissionDenied("Only administrators create roles.")
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            role = services.role_create(
                actor=request.user,
                name=c["name"],
                description=c["description"],
                team=c["team"],
                receives_notice_reminders=c["receives_notice_reminders"],
                members=list(c["members"]),
            )
        except ValidationFailed as exc:
            for err in exc.errors:
                form.add_domain_error(err.field, err.message)
        else:
            messages.success(request, f"Role “{role.name}” created.")
            return redirect("work:roles")
    return render(request, "work/role_form.html", {"form": form, "role": None})


@login_required
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_role_for(request.user, pk, write=True)
    initial = {
        "version": role.version,
        "name": role.name,
        "description": role.description,
        "team": role.team_id,
        "receives_notice_reminders": role.receives_notice_reminders,
        "members": list(role.members.all()),
    }
    form = RoleForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            # Fields and members are one change for the person saving: both or neither.
            with transaction.atomic():
                saved = services.role_update(
                    actor=request.user,
                    role=role,
                    version=c["version"],
                    name=c["name"],
                    description=c["description"],
                    team=c["team"],
                    receives_notice_reminders=c["receives_notice_reminders"],
                )
                services.role_members_set(actor=request.user, role=saved, users=list(c["members"]))
        except VersionConflict as exc:
            current = exc.current
            conflict = [
                {"label": "Name", "theirs": current.name, "yours": c["name"]},
                {"label": "Description", "theirs": current.description, "yours": c["description"]},
            ]
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = RoleForm(data, initial=initial)
            form.is_valid()
        except ValidationFailed as exc:
            for err in exc.errors:
                form.add_domain_error(err.field, err.message)
        else:
            messages.success(request, f"Role “{saved.name}” saved.")
            return redirect("work:roles")
    return render(request, "work/role_form.html", {"form": form, "role": role, "conflict": conflict})
