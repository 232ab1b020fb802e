from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "servanda.api"
    label = "api"
