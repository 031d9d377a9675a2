"""QR codes and printables: /qr/<unit>.svg|png, /qr/<unit>/<service>.svg|png, /poster/….pdf, and the
ticket receipt /struk/<unit>/[<service>/]?ref=<ticket>."""

from django.urls import path, re_path

from skm.collection.views import qr

SLUG = r"[-a-zA-Z0-9_]+"

urlpatterns = [
    re_path(rf"^qr/(?P<unit_slug>{SLUG})\.(?P<fmt>svg|png)$", qr.qr, name="qr"),
    re_path(
        rf"^qr/(?P<unit_slug>{SLUG})/(?P<service_slug>{SLUG})\.(?P<fmt>svg|png)$", qr.qr, name="qr-service"
    ),
    re_path(rf"^poster/(?P<unit_slug>{SLUG})\.pdf$", qr.poster, name="poster"),
    re_path(
        rf"^poster/(?P<unit_slug>{SLUG})/(?P<service_slug>{SLUG})\.pdf$", qr.poster, name="poster-service"
    ),
    path("struk/<slug:unit_slug>/", qr.receipt, name="receipt"),
    path("struk/<slug:unit_slug>/<slug:service_slug>/", qr.receipt, name="receipt-service"),
]
