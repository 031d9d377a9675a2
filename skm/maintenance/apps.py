from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "skm.maintenance"
    label = "maintenance"
    verbose_name = "Pemeliharaan"
