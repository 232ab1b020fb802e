"""Access and forms on the pages: who sees what, who may change what, errors at the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servanda.contracts.models import Contract
from servanda.events.models import Event


def _detail(c: Contract) -> str:
    return reverse("web:contract-detail", args=[c.pk])


def test_anonymous_is_redirected_to_login_everywhere(client, world) -> None:
    for url in (
        reverse("web:contract-list"),
        _detail(world.sub),
        reverse("web:contract-edit", args=[world.sub.pk]),
        reverse("web:installation-detail", args=[world.machine.pk]),
        reverse("web:admin-home"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("web:login")), url


def test_stranger_gets_404_for_another_teams_objects(client, personas, world) -> None:
    client.force_login(personas.stranger)
    assert client.get(_detail(world.sub)).status_code == 404
    assert client.get(reverse("web:contract-tab", args=[world.sub.pk, "history"])).status_code == 404
    assert client.get(reverse("web:contract-edit", args=[world.sub.pk])).status_code == 404
    assert client.get(reverse("web:installation-detail", args=[world.machine.pk])).status_code == 404
    # ... and their own team's contract is there.
    assert client.get(_detail(world.other_team)).status_code == 200


def test_stranger_list_shows_only_their_team(client, personas, world) -> None:
    client.force_login(personas.stranger)
    page = client.get(reverse("web:contract-list")).content.decode()
    assert "S-9" in page
    assert "FW-1" not in page


def test_readonly_can_read_but_not_edit(client, personas, world) -> None:
    client.force_login(personas.readonly)
    page = client.get(_detail(world.sub))
    assert page.status_code == 200
    assert reverse("web:contract-edit", args=[world.sub.pk]) not in page.content.decode()
    assert client.get(reverse("web:contract-edit", args=[world.sub.pk])).status_code == 403
    before = Event.objects.count()
    post = client.post(reverse("web:contract-edit", args=[world.sub.pk]), {"title": "hijack"})
    assert post.status_code == 403
    assert Event.objects.count() == before
    assert client.get(reverse("web:contract-create")).status_code == 403


def test_non_admin_cannot_open_admin_pages(client, personas, world) -> None:
    client.force_login(personas.owner)
    assert client.get(reverse("web:admin-home")).status_code == 403
    client.force_login(personas.admin)
    assert client.get(reverse("web:admin-home")).status_code == 200


def test_contract_detail_shows_term_tree_and_links(client, personas, world) -> None:
    client.force_login(personas.owner)
    page = client.get(_detail(world.sub) + "?on=2026-03-01").content.decode()
    # Commenced 1 Jan 2025, 1 year + yearly renewal: on 1 Mar 2026 the term is 2026,
    # until and including 31 Dec 2026; one month's notice → 30 Nov 2026 (DESIGN convention 5).
    assert "until and including 31 Dec 2026" in page
    assert "30 Nov 2026" in page
    # Breadcrumb up to the framework agreement.
    assert f'href="{_detail(world.framework)}"' in page
    tree = client.get(reverse("web:contract-tab", args=[world.framework.pk, "subcontracts"])).content.decode()
    assert "FW-1.1" in tree and "FW-1.1.1" in tree  # any depth
    covered = client.get(
        reverse("web:contract-tab", args=[world.sub.pk, "installations"]) + "?on=2026-03-01"
    ).content.decode()
    assert reverse("web:installation-detail", args=[world.machine.pk]) in covered


def test_features_show_characteristic_labels(client, personas, world) -> None:
    client.force_login(personas.owner)
    page = client.get(_detail(world.framework)).content.decode()
    assert "Gold, around the clock" in page
    assert "8 h" in page


def test_installation_shows_covering_contracts_today_and_over_time(client, personas, world) -> None:
    client.force_login(personas.owner)
    url = reverse("web:installation-detail", args=[world.old_machine.pk])
    # Covered by FW-1 for 2024 only: on 31 Dec 2024 yes (inclusive end), on 1 Jan 2025 no.
    assert "FW-1" in client.get(url + "?on=2024-12-31").content.decode()
    assert f'href="{_detail(world.framework)}"' not in client.get(url + "?on=2025-01-01").content.decode()
    over_time = client.get(reverse("web:installation-tab", args=[world.old_machine.pk, "coverage"]))
    text = over_time.content.decode()
    assert "1 Jan 2024" in text and "31 Dec 2024" in text


def test_bad_feature_value_is_shown_at_the_field_and_typed_values_are_kept(client, personas, world) -> None:
    client.force_login(personas.owner)
    url = reverse("web:contract-edit", args=[world.sub.pk])
    form = {
        "version": world.sub.version,
        "number": "FW-1.1",
        "title": "Retitled while the feature is wrong",
        "contract_type": world.sub.contract_type_id,
        "status": "active",
        "commencement_date": "2025-01-01",
        "initial_term": "P1Y",
        "renewal_term": "P1Y",
        "notice_period": "P1M",
        "feature__response_hours": "12.5",  # not a whole number
        "feature__service_level": "platinum",  # no such characteristic
        "feature__start_check": "2026-02-30",
    }
    response = client.post(url, form)
    assert response.status_code == 422
    page = response.content.decode()
    for key in ("response_hours", "service_level", "start_check"):
        block = page.split(f'data-feature-field="{key}"', 1)[1].split('data-feature-field="', 1)[0]
        assert 'class="errorlist"' in block, key
    assert 'value="Retitled while the feature is wrong"' in page
    assert 'value="12.5"' in page
    assert 'value="2026-02-30"' in page
    world.sub.refresh_from_db()
    assert world.sub.title == "Call-off north plant"


def test_edit_changes_feature_and_history_records_it(client, personas, world) -> None:
    client.force_login(personas.owner)
    url = reverse("web:contract-edit", args=[world.sub.pk])
    page = client.get(url).content.decode()
    assert 'name="feature__response_hours"' in page and 'value="24"' in page
    form = {
        "version": world.sub.version,
        "number": "FW-1.1",
        "title": "Call-off north plant",
        "contract_type": world.sub.contract_type_id,
        "party": world.sub.party_id,
        "status": "active",
        "commencement_date": "2025-01-01",
        "initial_term": "P1Y",
        "renewal_term": "P1Y",
        "notice_period": "P1M",
        "end_date": "2025-12-31",
        "team": personas.team.pk,
        "feature__response_hours": "4",
        "feature__service_level": "gold",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    world.sub.refresh_from_db()
    assert world.sub.features["response_hours"] == 4
    assert world.sub.features["service_level"] == "gold"
    history = client.get(reverse("web:contract-tab", args=[world.sub.pk, "history"])).content.decode()
    assert "Feature: Response time" in history
    assert "24 h" in history and "4 h" in history


def test_stale_version_says_someone_else_changed_it_and_shows_both(client, personas, world) -> None:
    from servanda.contracts.services import contract_update

    client.force_login(personas.owner)
    read_version = world.sub.version
    contract_update(
        actor=personas.colleague, contract=world.sub, version=read_version, title="Colleague's title"
    )
    response = client.post(
        reverse("web:contract-edit", args=[world.sub.pk]),
        {
            "version": read_version,
            "number": "FW-1.1",
            "title": "My title",
            "contract_type": world.sub.contract_type_id,
            "status": "active",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this" in page
    assert "Colleague&#x27;s title" in page and "My title" in page
    world.sub.refresh_from_db()
    assert world.sub.title == "Colleague's title"


def test_create_contract_with_features(client, personas, world) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:contract-create") + f"?contract_type={world.sub.contract_type_id}")
    assert 'name="feature__service_level"' in page.content.decode()
    response = client.post(
        reverse("web:contract-create"),
        {
            "number": "NEW-1",
            "title": "New one",
            "contract_type": world.sub.contract_type_id,
            "status": "draft",
            "team": personas.team.pk,
            "parent": "FW-1",
            "feature__response_hours": "48",
            "feature__service_level": "silver",
        },
    )
    assert response.status_code == 302
    created = Contract.objects.get(number="NEW-1")
    assert created.parent_id == world.framework.pk
    assert created.features == {"response_hours": 48, "service_level": "silver"}


def test_feature_fields_follow_the_chosen_type(client, personas, world) -> None:
    client.force_login(personas.owner)
    response = client.get(
        reverse("web:contract-feature-fields"),
        {"contract_type": world.sub.contract_type_id, "feature__response_hours": "6"},
    )
    page = response.content.decode()
    assert 'type="date"' in page  # start_check is a date feature
    assert "<select" in page and "Silver, office hours" in page
    assert 'value="6"' in page  # what was typed survives the swap


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("?q=north", ["FW-1.1"], ["S-9", "Framework agreement"]),
        ("?feature.response_hours__gte=10", ["FW-1.1"], ["Framework agreement"]),
        ("?feature.service_level=gold", ["Framework agreement"], ["Call-off north"]),
    ],
)
def test_contract_list_filters(client, personas, world, query, present, absent) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:contract-list") + query).content.decode()
    for text in present:
        assert text in page
    for text in absent:
        assert text not in page


def test_feature_filter_bar_folds_into_the_url(client, personas, world) -> None:
    client.force_login(personas.owner)
    response = client.get(
        reverse("web:contract-list"), {"q": "", "ff_key": "response_hours", "ff_op": "gte", "ff_value": "10"}
    )
    assert response.status_code == 302
    assert "feature.response_hours__gte=10" in response["Location"]


def test_list_sorts_and_counts(client, personas, world) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:contract-list") + "?sort=-number").content.decode()
    positions = [page.index(f">{n}</a>") for n in ("FW-1.1.1", "FW-1.1", "FW-1")]
    assert positions == sorted(positions)
    page = client.get(reverse("web:contract-list") + "?sort=number").content.decode()
    positions = [page.index(f">{n}</a>") for n in ("FW-1", "FW-1.1", "FW-1.1.1")]
    assert positions == sorted(positions)
    assert "3 contracts" in page


def test_empty_list_says_what_to_do(client, personas) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:contract-list")).content.decode()
    assert "No contracts yet" in page


def test_global_search_finds_contract_serial_and_party(client, personas, world) -> None:
    client.force_login(personas.owner)
    for q, expected in (("FW-1.1", _detail(world.sub)), ("SN-100", "/installations/"), ("Acme", "/parties/")):
        page = client.get(reverse("web:search"), {"q": q}).content.decode()
        assert expected in page, q


def test_admin_defines_feature_with_characteristics_and_type(client, personas, world) -> None:
    client.force_login(personas.admin)
    response = client.post(
        reverse("web:admin-definition-create"),
        {
            "entity": "contract",
            "key": "region",
            "label": "Region",
            "data_type": "choice",
            "characteristics": "north = North\nsouth = South",
            "indexed": "on",
        },
    )
    assert response.status_code == 302
    from servanda.features.models import FeatureDefinition

    region = FeatureDefinition.objects.get(entity="contract", key="region")
    assert [(c.code, c.label) for c in region.characteristics.all()] == [
        ("north", "North"),
        ("south", "South"),
    ]
    response = client.post(
        reverse("web:admin-type", args=["contract", world.sub.contract_type_id]),
        {
            "version": world.sub.contract_type.version,
            "code": "maintenance",
            "name": "Maintenance",
            "feature_definitions": [
                *world.sub.contract_type.feature_definitions.values_list("pk", flat=True),
                region.pk,
            ],
        },
    )
    assert response.status_code == 302
    form = client.get(reverse("web:contract-edit", args=[world.sub.pk])).content.decode()
    assert 'name="feature__region"' in form


def test_admin_bad_key_is_shown_at_the_field(client, personas, world) -> None:
    client.force_login(personas.admin)
    response = client.post(
        reverse("web:admin-definition-create"),
        {"entity": "contract", "key": "bad key!", "label": "Bad", "data_type": "text"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="bad key!"' in page
    assert "letters, digits" in page


def test_upcoming_terms_and_notice_deadlines_per_month(personas, world) -> None:
    import datetime as dt

    from servanda.web.views.reports import upcoming

    active = Contract.objects.filter(status="active", commencement_date__isnull=False).order_by("pk")
    months, series, rows, _ = upcoming(active, dt.date(2026, 3, 1))
    assert months[0] == dt.date(2026, 3, 1) and len(months) == 12
    # FW-1: 1 Jan 2024 + 3 years, renewing yearly → term ends 31 Dec 2026, 3 months' notice → 30 Sep 2026.
    # FW-1.1: 1 Jan 2025 + 1 year, renewing → 2026 term ends 31 Dec 2026, 1 month's notice → 30 Nov 2026.
    december = months.index(dt.date(2026, 12, 1))
    assert series["renewing"][december] == 2
    assert sum(series["ending"]) == 0
    assert series["notices"][months.index(dt.date(2026, 9, 1))] == 1
    assert series["notices"][months.index(dt.date(2026, 11, 1))] == 1
    assert [(r.contract.number, r.deadline) for r in rows] == [
        ("FW-1", dt.date(2026, 9, 30)),
        ("FW-1.1", dt.date(2026, 11, 30)),
    ]


def test_reports_page_renders_for_readers_only(client, personas, world, django_user_model) -> None:
    client.force_login(personas.readonly)
    page = client.get(reverse("web:reports"))
    assert page.status_code == 200
    assert b'id="expiry-data"' in page.content
    nobody = django_user_model.objects.create_user("nobody", password="x-pw-123456")
    client.force_login(nobody)
    assert client.get(reverse("web:reports")).status_code == 403


def test_party_pages_link_both_ways(client, personas, world) -> None:
    client.force_login(personas.owner)
    party_url = reverse("web:party-detail", args=[world.framework.party_id])
    assert party_url in client.get(_detail(world.framework)).content.decode()
    page = client.get(party_url).content.decode()
    assert _detail(world.framework) in page
    assert reverse("web:installation-detail", args=[world.machine.pk]) in page
    client.force_login(personas.stranger)
    assert client.get(party_url).status_code == 404


def test_installation_edit_validates_features_at_the_field(client, personas, world) -> None:
    client.force_login(personas.owner)
    url = reverse("web:installation-edit", args=[world.machine.pk])
    assert 'name="feature__capacity"' in client.get(url).content.decode()
    form = {
        "version": world.machine.version,
        "serial_number": "SN-100",
        "installation_type": world.machine.installation_type_id,
        "status": "active",
        "feature__capacity": "lots",
    }
    response = client.post(url, form)
    assert response.status_code == 422
    block = response.content.decode().split('data-feature-field="capacity"', 1)[1]
    assert 'class="errorlist"' in block.split("</div>", 1)[0]
    assert 'value="lots"' in response.content.decode()
    form["feature__capacity"] = "9.25"
    assert client.post(url, form).status_code == 302
    world.machine.refresh_from_db()
    assert world.machine.features["capacity"] == 9.25
    client.force_login(personas.readonly)
    assert client.post(url, form).status_code == 403


def test_passed_notice_deadline_points_to_the_renewed_term(personas, world) -> None:
    import datetime as dt

    from servanda.web.views.reports import upcoming

    active = Contract.objects.filter(status="active", commencement_date__isnull=False).order_by("pk")
    _, _, rows, _ = upcoming(active, dt.date(2026, 12, 3))
    # Both 2026 deadlines have passed; the contracts renew for 2027, whose deadlines follow
    # the same rule: 31 Dec 2027 less 3 months → 30 Sep 2027, less 1 month → 30 Nov 2027.
    assert [(r.contract.number, r.deadline, r.term_end) for r in rows] == [
        ("FW-1", dt.date(2027, 9, 30), dt.date(2027, 12, 31)),
        ("FW-1.1", dt.date(2027, 11, 30), dt.date(2027, 12, 31)),
    ]


def test_cover_an_installation_from_the_contract_page(client, personas, world) -> None:
    import datetime as dt

    from servanda.installations.models import Coverage

    client.force_login(personas.owner)
    url = reverse("web:coverage-add", args=[world.framework.pk])
    # SN-050 was covered by FW-1 throughout 2024: a period touching 2024 overlaps (inclusive end).
    clash = client.post(url, {"serial_number": "SN-050", "start": "2024-12-31"}, HTTP_HX_REQUEST="true")
    assert clash.status_code == 422
    assert "overlap" in clash.content.decode()
    ok = client.post(url, {"serial_number": "SN-050", "start": "2025-01-01", "end": "2025-06-30"})
    assert ok.status_code == 302
    new = Coverage.objects.get(
        contract=world.framework, installation=world.old_machine, start=dt.date(2025, 1, 1)
    )
    assert new.end_excl == dt.date(2025, 7, 1)  # stored half-open: the day after the inclusive end
    hidden = client.post(url, {"serial_number": "NOPE", "start": "2025-01-01"}, HTTP_HX_REQUEST="true")
    assert "No installation with serial number" in hidden.content.decode()
    client.force_login(personas.readonly)
    assert client.post(url, {"serial_number": "SN-050", "start": "2026-01-01"}).status_code == 403


def test_end_a_coverage(client, personas, world) -> None:
    import datetime as dt

    from servanda.installations.models import Coverage

    coverage = Coverage.objects.get(contract=world.sub, installation=world.machine)
    client.force_login(personas.owner)
    url = reverse("web:coverage-end", args=[world.sub.pk, coverage.pk])
    response = client.post(url, {"end": "2026-06-30", "version": coverage.version})
    assert response.status_code == 302
    coverage.refresh_from_db()
    assert coverage.end_excl == dt.date(2026, 7, 1)
    # The coverage belongs to FW-1.1: addressed through another contract it does not exist.
    wrong = reverse("web:coverage-end", args=[world.framework.pk, coverage.pk])
    assert client.post(wrong, {"end": "2026-06-30", "version": coverage.version}).status_code == 404


def test_many_parties_are_typed_not_picked(client, personas, world, monkeypatch) -> None:
    from servanda.parties.services import party_create
    from servanda.web.forms import base

    monkeypatch.setattr(base, "PARTY_SELECT_LIMIT", 1)
    party_create(actor=personas.admin, name="Beta Valves", team=personas.team)
    party_create(actor=personas.admin, name="Twin", reference="T-1", team=personas.team)
    party_create(actor=personas.admin, name="Twin", reference="T-2", team=personas.team)
    client.force_login(personas.owner)
    url = reverse("web:contract-edit", args=[world.sub.pk])
    page = client.get(url).content.decode()
    assert '<input type="text" name="party" value="Acme Pumps"' in page
    form = {
        "version": world.sub.version,
        "number": "FW-1.1",
        "title": "Call-off north plant",
        "contract_type": world.sub.contract_type_id,
        "status": "active",
        "party": "Twin",
    }
    ambiguous = client.post(url, form)
    assert ambiguous.status_code == 422
    assert "give the reference" in ambiguous.content.decode()
    form["party"] = "beta valves"
    assert client.post(url, form).status_code == 302
    world.sub.refresh_from_db()
    assert world.sub.party.name == "Beta Valves"
