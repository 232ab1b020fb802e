from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "servanda.events"
    label = "events"
