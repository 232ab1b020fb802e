from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "servanda.contracts"
    label = "contracts"
