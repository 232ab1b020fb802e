from django.urls import path

from servanda.obligations import pages as obligation_pages

from .pages import calendar as calendar_pages
from .pages import items, my_work, planner, roles
from .views import calendar_feed

app_name = "work"
urlpatterns: list = [
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("my-work/", my_work.my_work, name="my-work"),
    path("planning/", planner.planner, name="planner"),
    path("planning/workload/", planner.workload_page, name="workload"),
    path("work/items/<int:pk>/", items.item_detail, name="item"),
    path("work/items/<int:pk>/<slug:action>/", items.item_action, name="item-action"),
    path("work/calendar/", calendar_pages.calendar_page, name="calendar"),
    path("work/calendar/new/", calendar_pages.calendar_token_new, name="calendar-new"),
    path("work/calendar/<int:pk>/revoke/", calendar_pages.calendar_token_revoke, name="calendar-revoke"),
    path("work/roles/", roles.role_list, name="roles"),
    path("work/roles/new/", roles.role_new, name="role-new"),
    path("work/roles/<int:pk>/", roles.role_edit, name="role"),
    path(
        "contracts/<int:pk>/obligations/", obligation_pages.contract_obligations, name="contract-obligations"
    ),
    path("contracts/<int:pk>/obligations/new/", obligation_pages.obligation_new, name="obligation-create"),
    path("obligations/<int:pk>/", obligation_pages.obligation_edit, name="obligation-edit"),
]
