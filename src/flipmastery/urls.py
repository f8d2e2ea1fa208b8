"""URL map: the pages, the admin, the API, the language switch and uploaded media."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from flipmastery.api.urls import api


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (the admin, the API docs, a PDF): send them
    to the hashed file, which they keep for a year; the redirect itself is kept for a day, so a new icon
    arrives within one."""
    response = HttpResponseRedirect(static("favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


handler400 = "flipmastery.web.errors.bad_request"  # a body too large to read is a 413

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),  # superusers only: flipmastery/admin_site.py
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # POST setlang/: the language switch in every footer
    path("", include("flipmastery.oneroster.urls")),  # a school admin's OneRoster page
    path("", include("flipmastery.lti.urls")),  # LTI 1.3: launched from Moodle, Canvas and other LMSs
    path("", include("flipmastery.web.urls")),
]
