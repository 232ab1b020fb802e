"""The list pages' own filters: status, type code and party narrow the rows; an invisible party shows none."""

from __future__ import annotations

from django.urls import reverse

from servanda.parties.services import party_create

CONTRACT_TITLES = ("Framework agreement pumps", "Call-off north plant", "Amendment spare parts")


def _rows(client, name: str, params: dict) -> str:
    return client.get(reverse(name), params).content.decode()


def test_contract_list_by_status_and_party(client, personas, world) -> None:
    client.force_login(personas.owner)
    # Only FW-1 and FW-1.1 were created active; the amendment stays a draft and has no party.
    for params in ({"status": "active"}, {"party": world.framework.party_id}):
        page = _rows(client, "web:contract-list", params)
        assert CONTRACT_TITLES[0] in page and CONTRACT_TITLES[1] in page
        assert CONTRACT_TITLES[2] not in page
    page = _rows(client, "web:contract-list", {"type": "maintenance", "status": "draft"})
    assert CONTRACT_TITLES[2] in page and CONTRACT_TITLES[0] not in page


def test_list_filter_on_a_party_the_user_cannot_see_shows_nothing(client, personas, world) -> None:
    hidden = party_create(actor=personas.admin, name="Southern Holding", team=personas.other_team)
    client.force_login(personas.owner)
    page = _rows(client, "web:contract-list", {"party": hidden.pk})
    assert not any(title in page for title in CONTRACT_TITLES)
    page = _rows(client, "web:installation-list", {"owner": hidden.pk})
    assert "SN-100" not in page and "SN-050" not in page


def test_installation_list_by_type_owner_and_status(client, personas, world) -> None:
    client.force_login(personas.owner)
    # SN-100 is the pump owned by Acme; SN-050 has neither type nor owner.
    for params in ({"type": "pump"}, {"owner": world.machine.owner_id}):
        page = _rows(client, "web:installation-list", params)
        assert "SN-100" in page and "SN-050" not in page
    page = _rows(client, "web:installation-list", {"status": "active"})
    assert "SN-100" in page and "SN-050" in page
    page = _rows(client, "web:installation-list", {"status": "decommissioned"})
    assert "SN-100" not in page and "SN-050" not in page
