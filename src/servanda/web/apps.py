from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "servanda.web"
    label = "web"
