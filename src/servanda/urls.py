from django.contrib import admin
from django.urls import include, path, re_path

from servanda.api.errors import unknown_api_path
from servanda.api.urls import api

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unknown_api_path),
    path("", include("servanda.work.urls")),
    path("", include("servanda.web.urls")),
]
