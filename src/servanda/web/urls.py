from django.urls import path

from .views import (
    admin,
    contract_forms,
    contracts,
    coverage,
    home,
    installation_forms,
    installations,
    parties,
    reports,
    search,
)

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", home.LoginView.as_view(), name="login"),
    path("logout/", home.LogoutView.as_view(), name="logout"),
    path("search/", search.search, name="search"),
    path("contracts/", contracts.contract_list, name="contract-list"),
    path("contracts/new/", contract_forms.contract_create_view, name="contract-create"),
    path("contracts/feature-fields/", contract_forms.contract_feature_fields, name="contract-feature-fields"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", contract_forms.contract_edit_view, name="contract-edit"),
    path("contracts/<int:pk>/tab/<slug:tab>/", contracts.contract_tab, name="contract-tab"),
    path("contracts/<int:pk>/coverages/", coverage.coverage_add, name="coverage-add"),
    path(
        "contracts/<int:pk>/coverages/<int:coverage_id>/end/", coverage.coverage_end_view, name="coverage-end"
    ),
    path("installations/", installations.installation_list, name="installation-list"),
    path("installations/new/", installation_forms.installation_create_view, name="installation-create"),
    path(
        "installations/feature-fields/",
        installation_forms.installation_feature_fields,
        name="installation-feature-fields",
    ),
    path("installations/<int:pk>/", installations.installation_detail, name="installation-detail"),
    path("installations/<int:pk>/edit/", installation_forms.installation_edit_view, name="installation-edit"),
    path("installations/<int:pk>/tab/<slug:tab>/", installations.installation_tab, name="installation-tab"),
    path("parties/", parties.party_list, name="party-list"),
    path("parties/<int:pk>/", parties.party_detail, name="party-detail"),
    path("reports/", reports.reports, name="reports"),
    path("admin/", admin.admin_home, name="admin-home"),
    path("admin/features/new/", admin.definition_create, name="admin-definition-create"),
    path("admin/features/<int:pk>/", admin.definition_edit, name="admin-definition"),
    path(
        "admin/features/<int:pk>/characteristics/",
        admin.characteristic_add_view,
        name="admin-characteristic-add",
    ),
    path(
        "admin/features/<int:pk>/characteristics/<str:code>/remove/",
        admin.characteristic_remove_view,
        name="admin-characteristic-remove",
    ),
    path("admin/types/<slug:kind>/new/", admin.type_edit, name="admin-type-create"),
    path("admin/types/<slug:kind>/<int:pk>/", admin.type_edit, name="admin-type"),
]
