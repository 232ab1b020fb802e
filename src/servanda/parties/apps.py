from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "servanda.parties"
    label = "parties"
