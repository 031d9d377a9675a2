from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Administrasi SKM")
admin.site.site_title = "SKM"
admin.site.index_title = _("Survei Kepuasan Masyarakat")
admin.site.site_url = "/kelola/"  # "Lihat situs" leads back to the staff workspace
admin.site.unregister(Group)  # access comes from roles and places, not from groups

# JSON under /api/, Django's pages elsewhere (skm/views.py).
handler400 = "skm.views.bad_request"
handler500 = "skm.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("skm.api.urls")),
    # The thank-you page before the survey's: a service whose link code is "terima-kasih" would
    # otherwise hide it (skm.organisation.models.RESERVED_SERVICE_SLUGS keeps that code free).
    path("", include("skm.results.urls")),  # /s/<unit>/terima-kasih/
    path("", include("skm.collection.urls_survey")),  # /s/<unit>/ …
    path("", include("skm.collection.urls_kiosk")),  # /k/<unit>/ …
    path("", include("skm.collection.urls_qr")),  # /qr/…, /poster/…
    path("kelola/", include("skm.workspace.urls")),  # home, sign in and out
    path("kelola/hasil/", include("skm.results.urls_staff")),  # results, sheets, year over year
    path("kelola/", include("skm.collection.urls_entry")),  # paper entry
    path("kelola/", include("skm.collection.urls_imports")),  # bulk import
    path("kelola/", include("skm.collection.urls_tablets")),  # kiosk tablets: set up, revoke
    path("kelola/", include("skm.collection.urls_links")),  # survey links, QR, ticket button
    path("kelola/", include("skm.followup.urls")),  # suggestions and their replies
    path("kelola/rekap/", include("skm.recaps.urls")),  # recaps entered, uploaded, history
    path("kelola/", include("skm.periods.urls")),  # a period's reporting, reminders
    path("kelola/", include("skm.reports.urls")),  # the Laporan Pelaksanaan SKM
    # Publishing, no login: the portal (/, /p/<pemda>/…), open data (/data/<pemda>/…), lobby screens (/tv/…)
    path("", include("skm.public.urls")),
]
