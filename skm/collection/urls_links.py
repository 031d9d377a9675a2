"""A unit's survey links, QR codes, posters and ticket button for its admins, under /kelola/ (issue 26)."""

from django.urls import path

from skm.collection.views import links

app_name = "links"

urlpatterns = [
    path("tautan/", links.units, name="units"),
    path("tautan/<slug:unit_slug>/", links.unit, name="unit"),
]
