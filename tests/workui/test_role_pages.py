"""The roles admin page: everyone sees the roles; only administrators create and change them."""

from __future__ import annotations

from django.test import Client

from servanda.work.models import Role

from .conftest import WorkWorld


def as_user(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_everyone_sees_roles_but_only_admins_change_them(ww: WorkWorld) -> None:
    owner = as_user(ww.p.owner)
    html = owner.get("/work/roles/").content.decode()
    assert "Service North" in html and "owner, colleague" in html.replace(
        "colleague, owner", "owner, colleague"
    )
    assert "New role" not in html and f"/work/roles/{ww.role.pk}/" not in html
    assert owner.get(f"/work/roles/{ww.role.pk}/").status_code == 403
    assert owner.post("/work/roles/new/", {"name": "Pensions desk"}).status_code == 403
    assert not Role.objects.filter(name="Pensions desk").exists()


def test_admin_creates_and_edits_members(ww: WorkWorld) -> None:
    admin = as_user(ww.p.admin)
    r = admin.post("/work/roles/new/", {"name": "Pensions desk", "members": [ww.p.readonly.pk]})
    assert r.status_code == 302
    role = Role.objects.get(name="Pensions desk")
    assert list(role.members.all()) == [ww.p.readonly]
    dup = admin.post("/work/roles/new/", {"name": "service north"})
    assert dup.status_code == 200 and "exists already" in dup.content.decode()
    url = f"/work/roles/{role.pk}/"
    r = admin.post(
        url, {"version": role.version, "name": "Pensions desk", "members": [ww.p.owner.pk, ww.p.colleague.pk]}
    )
    assert r.status_code == 302
    assert set(role.members.all()) == {ww.p.owner, ww.p.colleague}
    stale = admin.post(url, {"version": role.version, "name": "Pensions", "members": []})
    html = stale.content.decode()
    assert stale.status_code == 200 and "Someone else changed this" in html
    role.refresh_from_db()
    assert role.name == "Pensions desk" and role.members.count() == 2
