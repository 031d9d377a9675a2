"""Kiosk mode: /k/<unit>/ and /k/<unit>/<service>/ for a tablet at the counter, /k/sw.js its worker."""

from django.urls import path

from skm.collection.views import kiosk

app_name = "kiosk"

urlpatterns = [
    # The worker lives at /k/ so that its scope covers every kiosk page.
    path("k/sw.js", kiosk.worker, name="worker"),
    path("k/<slug:unit_slug>/", kiosk.kiosk, name="unit"),
    path("k/<slug:unit_slug>/<slug:service_slug>/", kiosk.kiosk, name="service"),
]
