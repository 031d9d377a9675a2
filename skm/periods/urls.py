"""A period's reporting (/kelola/periode/): compliance, a unit's report, reminder days."""

from django.urls import path

from skm.periods import views

app_name = "periods"

urlpatterns = [
    path("periode/", views.index, name="index"),
    path("periode/pengingat/", views.policy, name="policy"),
    path("periode/baru/", views.new, name="new"),
    path("periode/<int:period_id>/", views.period, name="period"),
    path("periode/<int:period_id>/unit/<slug:unit_slug>/", views.unit, name="unit"),
]
