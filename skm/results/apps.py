from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "skm.results"
    label = "results"
    verbose_name = "Hasil"
