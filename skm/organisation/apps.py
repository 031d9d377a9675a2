from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "skm.organisation"
    label = "organisation"
    verbose_name = "Organisasi"
