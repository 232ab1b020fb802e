"""The frame: login, navigation by permission, date words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from servanda.web import dates

D = dt.date


def test_login_page_renders_and_logs_in(client, personas) -> None:
    page = client.get(reverse("web:login"))
    assert page.status_code == 200
    assert b'name="username"' in page.content
    response = client.post(reverse("web:login"), {"username": "owner", "password": "owner-pw-123"})
    assert response.status_code == 302
    assert client.get(reverse("web:search")).status_code == 200


def test_wrong_password_says_so(client, personas) -> None:
    response = client.post(reverse("web:login"), {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    assert b"alert-error" in response.content


def test_anonymous_is_sent_to_login(client, db) -> None:
    response = client.get(reverse("web:search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_logout_needs_post_and_ends_session(client, personas) -> None:
    client.force_login(personas.owner)
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(reverse("web:search")).status_code == 302


def test_navigation_shows_only_permitted_areas(client, personas) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:search")).content.decode()
    assert 'href="/contracts/"' in page
    assert ">Admin<" not in page
    client.force_login(personas.admin)
    assert ">Admin<" in client.get(reverse("web:search")).content.decode()


def test_navigation_hides_areas_without_permission(client, db, django_user_model) -> None:
    nobody = django_user_model.objects.create_user("nobody", password="x-pw-123456")
    client.force_login(nobody)
    page = client.get(reverse("web:search")).content.decode()
    assert 'href="/contracts/"' not in page
    assert 'href="/installations/"' not in page


def test_pages_load_no_asset_from_elsewhere(client, personas) -> None:
    client.force_login(personas.owner)
    page = client.get(reverse("web:search")).content.decode()
    assert "http://" not in page and "https://" not in page
    assert "/static/web/vendor/htmx" in page


@pytest.mark.parametrize(
    ("d", "today", "expected"),
    [
        (D(2026, 12, 31), D(2026, 12, 28), "in 3 days"),
        (D(2026, 12, 29), D(2026, 12, 28), "tomorrow"),
        (D(2026, 12, 28), D(2026, 12, 28), "today"),
        (D(2026, 12, 26), D(2026, 12, 28), "2 days ago"),
    ],
)
def test_relative_hint(d: dt.date, today: dt.date, expected: str) -> None:
    assert dates.relative(d, today) == expected


@pytest.mark.parametrize(
    ("d", "today", "expected", "state"),
    [
        (D(2026, 9, 30), D(2026, 10, 2), "overdue by 2 days", "overdue"),
        (D(2026, 9, 30), D(2026, 10, 1), "overdue by 1 day", "overdue"),
        # The deadline is the last day notice may still be given: on it nothing is overdue yet.
        (D(2026, 9, 30), D(2026, 9, 30), "due today", "at-risk"),
        (D(2026, 9, 30), D(2026, 9, 27), "in 3 days", "at-risk"),
        (D(2026, 9, 30), D(2026, 6, 1), "in 121 days", "ok"),
    ],
)
def test_deadline_hint_and_state(d: dt.date, today: dt.date, expected: str, state: str) -> None:
    assert dates.deadline(d, today) == expected
    assert dates.deadline_state(d, today, at_risk_days=30) == state


def test_date_words() -> None:
    assert dates.day(D(2026, 12, 31)) == "31 Dec 2026"
    assert dates.day(D(2027, 1, 5)) == "5 Jan 2027"
    assert dates.until_including(D(2026, 12, 31)) == "until and including 31 Dec 2026"
    assert dates.until_including(None) == "open-ended"
    assert dates.period(D(2026, 1, 1), D(2026, 12, 31)) == "1 Jan 2026 – 31 Dec 2026"
    assert dates.period(D(2026, 1, 1), None) == "from 1 Jan 2026, open-ended"
