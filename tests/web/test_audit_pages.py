"""Gaps closed after the first round: staff modelling end to end, links between areas, zones, htmx errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from servanda.contracts.models import Contract, ContractType
from servanda.obligations.services import obligation_create
from servanda.web.templatetags.sv import instant
from servanda.work.models import WorkItem

pytestmark = pytest.mark.django_db


def test_staff_models_a_feature_and_the_contract_form_uses_it(client, personas, world) -> None:
    """A staff member (not a superuser) defines a feature with characteristics, attaches it to a new
    contract type, and the contract form then offers it and validates it at the field."""
    staff = personas.owner
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("web:admin-home")).status_code == 200
    r = client.post(
        reverse("web:admin-definition-create"),
        {
            "entity": "contract",
            "key": "voltage",
            "label": "Voltage",
            "data_type": "choice",
            "characteristics": "230 = 230 V single phase\n400 = 400 V three phase",
            "indexed": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(
        reverse("web:admin-definition-create"),
        {
            "entity": "contract",
            "key": "visits",
            "label": "Visits a year",
            "data_type": "integer",
            "required": "on",
        },
    )
    assert r.status_code == 302
    from servanda.features.models import FeatureDefinition

    ids = list(FeatureDefinition.objects.filter(key__in=["voltage", "visits"]).values_list("pk", flat=True))
    r = client.post(
        reverse("web:admin-type-create", args=["contract"]),
        {"code": "electrical", "name": "Electrical service", "feature_definitions": ids},
    )
    assert r.status_code == 302
    ctype = ContractType.objects.get(code="electrical")

    form = client.get(reverse("web:contract-create") + f"?contract_type={ctype.pk}").content.decode()
    assert 'name="feature__voltage"' in form and "400 V three phase" in form
    assert 'name="feature__visits"' in form

    base = {
        "number": "EL-1",
        "title": "Switchgear service",
        "contract_type": ctype.pk,
        "status": "draft",
        "team": personas.team.pk,
    }
    bad = client.post(
        reverse("web:contract-create"), {**base, "feature__voltage": "110", "feature__visits": ""}
    )
    assert bad.status_code == 422
    page = bad.content.decode()
    for key in ("voltage", "visits"):  # unknown characteristic; required value missing
        block = page.split(f'data-feature-field="{key}"', 1)[1].split('data-feature-field="', 1)[0]
        assert 'class="errorlist"' in block, key
    assert not Contract.objects.filter(number="EL-1").exists()

    good = client.post(
        reverse("web:contract-create"), {**base, "feature__voltage": "400", "feature__visits": "4"}
    )
    assert good.status_code == 302
    assert Contract.objects.get(number="EL-1").features == {"voltage": "400", "visits": 4}


def test_admin_home_links_to_roles(client, personas) -> None:
    client.force_login(personas.admin)
    page = client.get(reverse("web:admin-home")).content.decode()
    assert f'href="{reverse("work:roles")}"' in page


def test_installation_work_tab_lists_its_work_items(client, personas, world) -> None:
    # Per covered installation: the sub-contract covers the machine, so its work items name the machine.
    obligation_create(
        actor=personas.admin,
        contract=world.sub,
        description="Yearly inspection",
        responsible_user=personas.owner.pk,
        scope="installation",
        interval_unit="month",
        interval=12,
        anchor_date=dt.date(2025, 1, 1),
        lead_days=30,
        mode="anchored",
    )
    items = list(WorkItem.objects.filter(installation=world.machine))
    assert items, "the obligation generates work for the covered machine"
    client.force_login(personas.owner)
    detail = client.get(reverse("web:installation-detail", args=[world.machine.pk]) + "?tab=work")
    page = detail.content.decode()
    for item in items:
        assert f'href="{reverse("work:item", args=[item.pk])}"' in page
    empty = client.get(reverse("web:installation-tab", args=[world.old_machine.pk, "work"])).content.decode()
    assert "No work planned or done" in empty


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_instants_name_the_zone_they_are_shown_in() -> None:
    from django.utils import timezone

    timezone.deactivate()  # the site's zone, as for a viewer without a zone of their own
    # Amsterdam is UTC+1 in winter (CET) and UTC+2 in summer (CEST).
    assert instant(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)) == "15 Jan 2026, 13:00 CET"
    assert instant(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)) == "1 Jun 2026, 14:00 CEST"


def test_pages_tell_htmx_to_show_validation_and_report_errors(client, personas, world) -> None:
    """422 responses are swapped in (forms with inline errors); other error statuses go to a visible alert."""
    client.force_login(personas.owner)
    page = client.get(reverse("web:contract-detail", args=[world.sub.pk])).content.decode()
    assert 'name="htmx-config"' in page and '"code": "422", "swap": true' in page
    assert 'id="htmx-error"' in page and 'role="alert"' in page
    r = client.post(
        reverse("web:coverage-add", args=[world.sub.pk]),
        {"serial_number": "NO-SUCH-SERIAL", "start": "2025-01-01"},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 422 and 'class="errorlist"' in r.content.decode()


def test_list_count_is_singular_for_one(client, personas, world) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:contract-list") + "?q=Amendment").content.decode()
    assert "1 contract<" in page or "1 contract " in page
    assert "1 contracts" not in page
