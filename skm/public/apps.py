from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "skm.public"
    label = "public"
    verbose_name = _("Publikasi hasil SKM")

    def ready(self) -> None:
        from skm.collection.models import PeriodSnapshot
        from skm.organisation.models import Period
        from skm.public import signals

        post_save.connect(
            signals.snapshot_saved, sender=PeriodSnapshot, dispatch_uid="public-opendata-snapshot"
        )
        post_save.connect(signals.period_saved, sender=Period, dispatch_uid="public-opendata-period")
        post_delete.connect(
            signals.period_deleted, sender=Period, dispatch_uid="public-opendata-period-delete"
        )
