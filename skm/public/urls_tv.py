"""Lobby screens: /tv/<pemda>/ and /tv/<pemda>/<screen>/, each with its data.json. No login."""

from django.urls import path

from skm.public import views_tv

app_name = "tv"

urlpatterns = [
    path("tv/<slug:pemda_slug>/", views_tv.screen, name="pemda"),
    path("tv/<slug:pemda_slug>/data.json", views_tv.data, name="pemda-data"),
    path("tv/<slug:pemda_slug>/<slug:screen_slug>/", views_tv.screen, name="screen"),
    path("tv/<slug:pemda_slug>/<slug:screen_slug>/data.json", views_tv.data, name="screen-data"),
]
