from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "skm.maintenance"
    label = "maintenance"
    verbose_name = "Pemeliharaan"

    def ready(self) -> None:
        from skm.maintenance import checks  # noqa: F401 - registers the deployment checks
