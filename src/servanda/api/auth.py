"""Who is calling: a bearer token (integrations) or the session cookie (pages).

A session is ambient authority the browser sends by itself, so every unsafe
request riding on it must pass Django's CSRF check. A bearer token is sent
deliberately by the client, so it needs none. A request with neither is 401.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .services import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        if not token:
            return None
        user = token_user(token.strip())
        if user is not None:
            # Services and access checks read request.user; make it the token's owner.
            request.user = user
        return user


class SessionCsrf(APIKeyCookie):
    """Django's session, with CSRF enforced on unsafe methods.

    Ninja's own SessionAuth checks CSRF before it knows whether anyone is logged
    in, which answers an anonymous POST with 403; we check CSRF only once the
    session is known to belong to a user, so anonymous callers get 401.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie.")
        return user


bearer = BearerToken()
session = SessionCsrf()
