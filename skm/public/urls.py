"""The public portal (SPEC §6): / → a Pemda's page → each unit's page. No login."""

from django.urls import path

from skm.public import views_portal

app_name = "public"

urlpatterns = [
    path("", views_portal.index, name="index"),
    path("p/<slug:pemda_slug>/", views_portal.pemda, name="pemda"),
    path("p/<slug:pemda_slug>/<slug:unit_slug>/", views_portal.unit, name="unit"),
]
