from django.contrib import admin
from django.urls import include, path

from servanda.api.urls import api

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("servanda.work.urls")),
    path("", include("servanda.web.urls")),
]
