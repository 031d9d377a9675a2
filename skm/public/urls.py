"""Publishing (SPEC §6), no login: the portal (/ → a Pemda's page → each unit's page), open data
(skm.public.urls_data) and lobby screens (skm.public.urls_tv), all named in the "public" namespace."""

from django.urls import path

from skm.public import urls_data, urls_tv, views_portal

app_name = "public"

urlpatterns = [
    path("", views_portal.index, name="index"),
    path("p/<slug:pemda_slug>/", views_portal.pemda, name="pemda"),
    path("p/<slug:pemda_slug>/<slug:unit_slug>/", views_portal.unit, name="unit"),
    *urls_data.urlpatterns,
    *urls_tv.urlpatterns,
]
