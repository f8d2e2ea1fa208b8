"""URL map: the pages, the admin, the API, the language switch and uploaded media."""

from django.contrib import admin
from django.urls import include, path

from flipmastery.api.urls import api

admin.site.site_header = "flipmastery — administration"
admin.site.site_title = "flipmastery"
admin.site.index_title = "Courses, sections and people"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # POST setlang/: the language switch in every footer
    path("", include("flipmastery.web.urls")),
]
