"""Open data (SPEC §6): /data/<pemda>/ lists the package; its files keep these addresses.
Named in the "public" namespace (skm.public.urls)."""

from django.urls import path, re_path

from skm.public import views_data

urlpatterns = [
    path("data/<slug:pemda_slug>/", views_data.index, name="data"),
    path("data/<slug:pemda_slug>/datapackage.json", views_data.package, name="data-package"),
    re_path(
        r"^data/(?P<pemda_slug>[-a-zA-Z0-9_]+)/(?P<name>[-a-z0-9]+)\.(?P<ext>csv|json)$",
        views_data.data_file,
        name="data-file",
    ),
]
