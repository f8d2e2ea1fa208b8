"""URL map: the pages, the admin, the API and uploaded media."""

from django.contrib import admin
from django.urls import include, path

from flipmastery.api.urls import api

admin.site.site_header = "flipmastery — administration"
admin.site.site_title = "flipmastery"
admin.site.index_title = "Courses, sections and people"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("flipmastery.web.urls")),
]
