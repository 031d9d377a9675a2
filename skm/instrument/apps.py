from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentConfig(AppConfig):
    name = "skm.instrument"
    label = "instrument"
    verbose_name = _("Instrumen survei")
