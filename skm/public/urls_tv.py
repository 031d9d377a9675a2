"""Lobby screens: /tv/<pemda>/ and /tv/<pemda>/<screen>/, each with its data.json. No login. Named in the "public" namespace (skm.public.urls)."""

from django.urls import path

from skm.public import views_tv

urlpatterns = [
    path("tv/<slug:pemda_slug>/", views_tv.screen, name="tv"),
    path("tv/<slug:pemda_slug>/data.json", views_tv.data, name="tv-data"),
    path("tv/<slug:pemda_slug>/<slug:screen_slug>/", views_tv.screen, name="tv-screen"),
    path("tv/<slug:pemda_slug>/<slug:screen_slug>/data.json", views_tv.data, name="tv-screen-data"),
]
