from django.apps import AppConfig


class InstrumentConfig(AppConfig):
    name = "skm.instrument"
    label = "instrument"
    verbose_name = "Instrumen survei"
