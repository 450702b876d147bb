from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safecommunity.api"
    label = "api"
    verbose_name = "API"
