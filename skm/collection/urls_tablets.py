"""Kiosk tablets for unit admins, under /kelola/ (issue 21): set up on the tablet, revoke."""

from django.urls import path

from skm.collection.views import tablets

app_name = "tablets"

urlpatterns = [
    path("kios/", tablets.units, name="units"),
    path("kios/<slug:unit_slug>/pasang/", tablets.install, name="install"),
    path("kios/<slug:unit_slug>/<int:device_id>/cabut/", tablets.revoke, name="revoke"),
]
