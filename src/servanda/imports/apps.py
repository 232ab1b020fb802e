from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "servanda.imports"
    label = "imports"
