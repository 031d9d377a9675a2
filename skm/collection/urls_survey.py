"""The public survey page (SPEC §7): /s/<unit>/, /s/<unit>/<service>/ and the thank-you page."""

from django.urls import path

from skm.collection.views import survey

# The thank-you path comes first: a service whose link code is "terima-kasih" would be hidden by it.
urlpatterns = [
    path("s/<slug:unit_slug>/terima-kasih/", survey.thanks, name="survey-thanks"),
    path("s/<slug:unit_slug>/", survey.survey, name="survey"),
    path("s/<slug:unit_slug>/<slug:service_slug>/", survey.survey, name="survey-service"),
]
