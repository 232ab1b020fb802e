"""The people tests act as: one team's owner, colleague and read-only member, a stranger, an admin.

Scope model (docs/DEVELOPING.md): a user sees objects of their team (a Django Group) or
without a team; writing needs the model's `change_<model>` permission.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission, User

# Team-scoped models; read-write users get all four perms on them. Feature definitions and
# contract/installation types are administered (staff, superusers): no persona but admin changes them.
SCOPED_MODELS = {
    "parties": ["party"],
    "contracts": ["contract"],
    "installations": ["installation", "coverage"],
}


@dataclass
class Personas:
    team: Group
    other_team: Group
    owner: User
    colleague: User
    readonly: User
    stranger: User
    admin: User

    def all(self) -> dict[str, User]:
        return {
            "owner": self.owner,
            "colleague": self.colleague,
            "readonly": self.readonly,
            "stranger": self.stranger,
            "admin": self.admin,
        }


def _perms(actions: tuple[str, ...]) -> list[Permission]:
    codenames = [f"{a}_{m}" for models in SCOPED_MODELS.values() for m in models for a in actions]
    labels = list(SCOPED_MODELS)
    return list(Permission.objects.filter(content_type__app_label__in=labels, codename__in=codenames))


def make_personas() -> Personas:
    team = Group.objects.create(name="Service North")
    other = Group.objects.create(name="Service South")
    rw = _perms(("view", "add", "change", "delete"))
    ro = _perms(("view",))

    def user(name: str, group: Group | None, perms: list[Permission], **extra: object) -> User:
        u = User.objects.create_user(username=name, password=f"{name}-pw-123", **extra)
        if group is not None:
            u.groups.add(group)
        u.user_permissions.add(*perms)
        return User.objects.get(pk=u.pk)  # fresh: no stale permission cache

    return Personas(
        team=team,
        other_team=other,
        owner=user("owner", team, rw),
        colleague=user("colleague", team, rw),
        readonly=user("readonly", team, ro),
        stranger=user("stranger", other, rw),
        admin=User.objects.create_superuser(username="admin", password="admin-pw-123", email="a@example.org"),
    )


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()
