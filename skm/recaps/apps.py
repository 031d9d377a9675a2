from django.apps import AppConfig


class RecapsConfig(AppConfig):
    name = "skm.recaps"
    label = "recaps"
    verbose_name = "Rekap dan pemeriksaan"
