from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "skm.organisation"
    label = "organisation"
    verbose_name = "Organisasi"

    def ready(self) -> None:
        from skm.organisation import lookup  # noqa: F401 - connects the cache-forgetting signals
