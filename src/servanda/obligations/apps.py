from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "servanda.obligations"
    label = "obligations"
