"""The sign-in page (throttled, with "This is a shared device") and a teacher's unlock of a student."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from flipmastery.accounts.services import sign_in_unlock
from flipmastery.accounts.throttle import SignInThrottled
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.web.views import _user, action


class SignInView(LoginView):
    """Django's sign-in page, plus two things. Too many wrong passwords for the username: the page again
    with 429, Retry-After and how long to wait (accounts/throttle.py). "This is a shared device" ticked: the
    session ends when the browser closes; otherwise it lasts SESSION_COOKIE_AGE, so a student stays signed
    in on their own device from lesson to lesson."""

    template_name = "web/auth/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except SignInThrottled as throttled:
            return self.throttled(throttled)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        if self.request.POST.get("shared_device"):
            self.request.session.set_expiry(0)
        return response

    def throttled(self, throttled: SignInThrottled) -> HttpResponse:
        return throttled_page(self.request, throttled, next_url=self.get_redirect_url())


def throttled_page(request: HttpRequest, throttled: SignInThrottled, *, next_url: str = "") -> HttpResponse:
    """The sign-in page saying how long to wait, as a 429 with Retry-After; the username stays typed in.
    Its form is a fresh one: a bound one would check the password again as soon as the page asked for
    its errors."""
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "throttled": str(throttled), "next": next_url}
    response = render(request, "web/auth/login.html", context, status=429)
    response["Retry-After"] = str(throttled.wait_seconds)
    return response


@action
def student_unlock(request: HttpRequest, section_id: int, student_id: int) -> HttpResponse:
    """A teacher of the section lets one of its students sign in again at once (after wrong passwords)."""
    section = access_section_as_teacher(_user(request), section_id)
    sign_in_unlock(section=section, student_id=student_id)
    return redirect("roster", section_id=section.pk)
