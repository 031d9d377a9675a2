from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "skm.maintenance"
    label = "maintenance"
    verbose_name = _("Pemeliharaan")

    def ready(self) -> None:
        from skm.maintenance import checks  # noqa: F401 - registers the deployment checks
