"""An API client acting as one persona, through a real bearer token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from servanda.api.services import token_create


class Api:
    """JSON in, parsed JSON out; `.last` keeps the raw response for status and headers."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = headers or {}

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        elif params:
            kwargs["data"] = params
        response = getattr(self.client, method)(path, **kwargs)
        response.json_body = json.loads(response.content) if response.content else None
        return response

    def get(self, path: str, **params: Any) -> Any:
        return self.call("get", path, **params)

    def post(self, path: str, body: Any) -> Any:
        return self.call("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.call("delete", path)


@pytest.fixture
def api_as(db: None) -> Callable[[Any], Api]:
    def make(user: Any) -> Api:
        _, raw = token_create(actor=None, user=user, name="test")
        return Api(Client(), {"Authorization": f"Bearer {raw}"})

    return make


@pytest.fixture
def anonymous() -> Api:
    return Api(Client())
