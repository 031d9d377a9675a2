"""Result pages under public addresses: the survey's thank-you page."""

from django.urls import path

from skm.results import views

urlpatterns = [
    path("s/<slug:unit_slug>/terima-kasih/", views.thanks, name="survey-thanks"),
]
