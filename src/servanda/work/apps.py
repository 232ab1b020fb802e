from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "servanda.work"
    label = "work"
