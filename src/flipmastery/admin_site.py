"""The admin pages (/admin/), for superusers only (DESIGN §9).

Staff status and model permissions are not enough: a teacher who may change sections there could add
themselves to any section and then read its answer keys. Every model registered with `admin.site` (ours and
Django's) is served by this site, made the default one by `flipmastery.apps.AdminConfig`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from flipmastery.accounts.throttle import SignInThrottled


class SuperuserLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter the %(username)s and password of a superuser (made with "
            "`flipmastery createsuperuser`). Both may be case-sensitive."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)  # active; staff status alone opens nothing here
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SuperuserAdminSite(admin.AdminSite):
    site_header = "flipmastery — administration"
    site_title = "flipmastery"
    index_title = "Courses, sections and people"
    login_form = SuperuserLoginForm

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Django's login page, except that too many wrong passwords for the username are a 429 with
        Retry-After (accounts/throttle.py), as on the sign-in page."""
        from flipmastery.web.views_sign_in import throttled_page  # the web's pages load after this site

        try:
            return super().login(request, extra_context)
        except SignInThrottled as throttled:
            return throttled_page(request, throttled, next_url=reverse("admin:index", current_app=self.name))

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)
