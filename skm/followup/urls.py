"""Suggestions and their follow-up (/kelola/saran/)."""

from django.urls import path

from skm.followup import views

app_name = "followup"

urlpatterns = [
    path("saran/", views.suggestions, name="suggestions"),
    path("saran/<int:answer_id>/", views.suggestion, name="suggestion"),
]
