from django.apps import AppConfig


class FeaturesConfig(AppConfig):
    name = "servanda.features"
    label = "features"
