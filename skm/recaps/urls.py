"""Recaps in the workspace, under /kelola/rekap/ (issue 24 items 4 and 7)."""

from django.urls import path

from skm.recaps import views

app_name = "recaps"

urlpatterns = [
    path("", views.index, name="index"),
    path("riwayat/", views.history, name="history"),
    path("<slug:unit_slug>/isi/", views.enter, name="enter"),
    path("<slug:unit_slug>/unggah/", views.upload, name="upload"),
]
