from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "skm.api"
    label = "api"
    verbose_name = "API"
