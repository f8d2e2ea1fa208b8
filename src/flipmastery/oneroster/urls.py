"""URLs of the school admin's OneRoster page (oneroster/views.py)."""

from django.urls import path

from flipmastery.oneroster import views

urlpatterns = [
    path("school/oneroster/", views.oneroster_page, name="school_oneroster"),
    path("school/oneroster/confirm/", views.oneroster_confirm, name="school_oneroster_confirm"),
    path("school/oneroster/results.zip", views.oneroster_results, name="school_oneroster_results"),
]
