"""Every error answer is application/problem+json (RFC 9457), with a message per field."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from servanda.core import errors as domain

logger = logging.getLogger("servanda.api")

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    428: "Version required",
    429: "Too many requests",
    500: "Server error",
}
# Segments of a pydantic location that name where a value came from, not which field.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def problem(
    status: int,
    detail: str,
    *,
    errors: Iterable[domain.FieldError] = (),
    title: str | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": [{"field": e.field, "message": e.message} for e in errors],
    }
    if extra:
        body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM)


def field_name(loc: Sequence[Any]) -> str:
    """`("body", "payload", "features", "voltage")` → `features.voltage`."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts:
            parts.pop(0)  # the endpoint's parameter name, not part of the client's body
    return ".".join(parts) or "body"


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "Unknown field."
    if kind == "missing":
        return "This field is required."
    msg = str(err.get("msg", "Invalid value."))
    return msg.removeprefix("Value error, ")


def _ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [domain.FieldError(field_name(e.get("loc", ())), _message(e)) for e in exc.errors]
    detail = "; ".join(f"{e.field}: {e.message.rstrip('.')}" for e in errors) or "The input is not valid."
    return problem(422, detail, errors=errors)


# Model class → function rendering an instance as its endpoint does; filled by each
# domain api.py, so a 409 carries the current object in the shape the client knows.
CURRENT_RENDERERS: dict[type, Callable[[Any], Any]] = {}


def render_current(obj: Any) -> Any:
    render = CURRENT_RENDERERS.get(type(obj))
    if render is not None:
        return render(obj)
    if isinstance(obj, dict):
        return obj
    # An unregistered model: enough for the client to re-read it.
    return {"id": getattr(obj, "pk", None), "version": getattr(obj, "version", None)}


def install(api: NinjaAPI) -> None:
    """Register the problem+json handlers on `api`."""

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return _ninja_validation(request, exc)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(401, "Send 'Authorization: Bearer <token>' or log in.")
        response["WWW-Authenticate"] = 'Bearer realm="servanda"'
        return response

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, "No such object, or not visible to you.")

    @api.exception_handler(domain.NotFound)
    def on_not_found(request: HttpRequest, exc: domain.NotFound) -> HttpResponse:
        return problem(404, exc.detail)

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem(403, str(exc) or "You may read this but not change it.")

    @api.exception_handler(domain.ReadOnly)
    def on_read_only(request: HttpRequest, exc: domain.ReadOnly) -> HttpResponse:
        return problem(403, exc.detail)

    @api.exception_handler(domain.ValidationFailed)
    def on_invalid(request: HttpRequest, exc: domain.ValidationFailed) -> HttpResponse:
        return problem(422, exc.detail, errors=exc.errors)

    @api.exception_handler(domain.VersionConflict)
    def on_conflict(request: HttpRequest, exc: domain.VersionConflict) -> HttpResponse:
        current = render_current(exc.current) if exc.current is not None else None
        return problem(409, exc.detail, title="Version conflict", extra={"current": current})

    @api.exception_handler(domain.VersionRequired)
    def on_version_required(request: HttpRequest, exc: domain.VersionRequired) -> HttpResponse:
        return problem(
            428,
            exc.detail,
            errors=[domain.FieldError("version", "Send the version you read.")],
        )

    @api.exception_handler(domain.Refused)
    def on_refused(request: HttpRequest, exc: domain.Refused) -> HttpResponse:
        return problem(409, exc.detail, title="Refused", extra={"reason": exc.detail})

    @api.exception_handler(domain.DomainError)
    def on_domain(request: HttpRequest, exc: domain.DomainError) -> HttpResponse:
        return problem(400, exc.detail)

    @api.exception_handler(Exception)
    def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged in full for operators; the caller learns nothing about the internals.
        logger.exception("API error on %s %s", request.method, request.path)
        return problem(500, "Something went wrong on our side; it has been logged.")


def unknown_api_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Paths under /api/ that no endpoint claims answer in the API's own format."""
    return problem(404, f"No API endpoint at {request.path}. See /api/docs.")
