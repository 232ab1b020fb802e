from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "servanda.core"
    label = "core"
