"""Who may call: bearer tokens, sessions with CSRF, and nobody else."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.utils.crypto import get_random_string

from servanda.api.models import ApiToken
from servanda.parties.services import party_create

from .conftest import Api


def test_anonymous_gets_401_problem(anonymous: Api) -> None:
    r = anonymous.get("/api/me")
    assert r.status_code == 401
    assert r["Content-Type"].startswith("application/problem+json")
    assert r.json_body["status"] == 401 and r.json_body["title"]


def test_anonymous_unsafe_request_is_401_not_a_csrf_403(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    r = client.post("/api/parties", data="{}", content_type="application/json")
    assert r.status_code == 401


def test_token_command_prints_a_working_token(personas) -> None:
    out = io.StringIO()
    call_command("token", "owner", stdout=out)
    raw = out.getvalue().strip()
    api = Api(Client(), {"Authorization": f"Bearer {raw}"})
    r = api.get("/api/me")
    assert r.status_code == 200
    assert r.json_body["username"] == "owner"
    token = ApiToken.objects.get(user=personas.owner)
    assert token.key_hash != raw and raw not in token.key_hash  # only the hash is stored
    assert token.last_used_at is not None


def test_revoked_token_is_401(personas) -> None:
    out = io.StringIO()
    call_command("token", "owner", stdout=out)
    api = Api(Client(), {"Authorization": f"Bearer {out.getvalue().strip()}"})
    assert api.get("/api/me").status_code == 200
    call_command("token", "owner", "--revoke", stdout=io.StringIO())
    assert api.get("/api/me").status_code == 401


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer ", "Basic b3duZXI6eA==", "nonsense"])
def test_bad_credentials_are_401(personas, header: str) -> None:
    assert Api(Client(), {"Authorization": header}).get("/api/me").status_code == 401


def test_inactive_users_token_is_401(personas, api_as) -> None:
    api = api_as(personas.owner)
    personas.owner.is_active = False
    personas.owner.save()
    assert api.get("/api/me").status_code == 401


def test_session_cookie_authenticates_reads(personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    r = client.get("/api/me")
    assert r.status_code == 200 and r.json()["username"] == "owner"


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_session_unsafe_request_without_csrf_token_is_403(personas, method: str) -> None:
    party = party_create(actor=personas.owner, name="Acme", team=personas.team)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    path = "/api/parties" if method == "post" else f"/api/parties/{party.pk}"
    body = {"name": "Renamed", "version": 1}
    r = getattr(client, method)(path, data=json.dumps(body), content_type="application/json")
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]
    party.refresh_from_db()
    assert party.name == "Acme" and party.version == 1


def test_session_post_with_csrf_token_passes(personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.owner)
    secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    client.cookies["csrftoken"] = secret  # as a page would have set it
    r = client.post(
        "/api/parties",
        data='{"name": "Acme"}',
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert r.status_code == 201, r.content


def test_bearer_token_needs_no_csrf(personas, api_as) -> None:
    api = api_as(personas.owner)
    api.client = Client(enforce_csrf_checks=True)
    assert api.post("/api/parties", {"name": "Acme"}).status_code == 201


def test_a_server_error_leaks_no_traceback(personas, api_as, monkeypatch) -> None:
    import servanda.parties.api as parties_api

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals at /srv/servanda/settings.py")

    monkeypatch.setattr(parties_api, "parties_visible_to", explode)
    r = api_as(personas.owner).get("/api/parties")
    assert r.status_code == 500
    assert r["Content-Type"].startswith("application/problem+json")
    assert b"secret" not in r.content and b"Traceback" not in r.content
    assert r.json_body["status"] == 500


def test_pydantic_errors_name_the_field_path(personas, api_as) -> None:
    api = api_as(personas.owner)
    r = api.post("/api/parties", {"name": "A", "birth_date": "1990-02-30", "country": "NLD"})
    assert r.status_code == 422
    assert sorted(e["field"] for e in r.json_body["errors"]) == ["birth_date", "country"]
    r = api.get("/api/parties", limit="many")
    assert r.status_code == 422 and [e["field"] for e in r.json_body["errors"]] == ["limit"]


def test_unknown_api_path_is_problem_json_404(client) -> None:
    response = client.get("/api/no-such-resource")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
