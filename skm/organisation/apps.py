from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "skm.organisation"
    label = "organisation"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        from skm.organisation import lookup  # noqa: F401 - connects the cache-forgetting signals
