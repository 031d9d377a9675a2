from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "skm.collection"
    label = "collection"
    verbose_name = "Pengumpulan jawaban"
