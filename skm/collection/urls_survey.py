"""The public survey page (SPEC §7): /s/<unit>/ and /s/<unit>/<service>/ (the thank-you page: skm.results)."""

from django.urls import path

from skm.collection.views import survey

urlpatterns = [
    path("s/<slug:unit_slug>/", survey.survey, name="survey"),
    path("s/<slug:unit_slug>/<slug:service_slug>/", survey.survey, name="survey-service"),
]
