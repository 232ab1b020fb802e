from django.apps import AppConfig


class InstallationsConfig(AppConfig):
    name = "servanda.installations"
    label = "installations"
