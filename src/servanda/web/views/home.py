"""Entry pages: home redirect and log in / out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from servanda.web.context import nav_items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The first area the user may use (My work once it exists, else Contracts)."""
    items = nav_items(request.user, request.path)
    if items:
        return redirect(items[0]["url"])
    return redirect("web:search")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
