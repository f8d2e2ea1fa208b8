"""The roster from the LMS with one click (NRPS), never taking anyone off; and dynamic registration from
one secret URL a school admin made."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.test import Client

from flipmastery.accounts.models import Role
from flipmastery.classroom.models import Enrollment
from flipmastery.lti.models import Context, Person, Platform
from tests import factories
from tests.lti.conftest import Launch
from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform


def member(sub: str, role: str, status: str = "Active") -> dict[str, Any]:
    return {"user_id": sub, "roles": [role], "status": status, "name": f"Member {sub}", "given_name": "M"}


def test_the_teacher_brings_in_the_roster_and_nobody_is_taken_off(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform, classroom: dict[str, Any]
) -> None:
    section = classroom["section"]
    Context.objects.create(
        platform=registered, context_id="course-7", section=section, updated_at=section.created_at
    )
    launch(sub="t-1", role=INSTRUCTOR)  # the launch tells us where the roster is
    before = set(Enrollment.objects.filter(section=section).values_list("student_id", flat=True))
    lms.members = [
        member("t-1", INSTRUCTOR),
        member("s-1", LEARNER),
        member("s-2", LEARNER),
        member("s-gone", LEARNER, status="Inactive"),
    ]
    response = client.post(f"/sections/{section.pk}/lms/roster/")
    assert response.status_code == 302
    assert "2 students added, 0 already here, 1 teachers" in client.get(response["Location"]).content.decode()
    s1 = Person.objects.get(sub="s-1").user
    assert s1.role == Role.STUDENT and s1.display_name == "Member s-1"
    after = set(Enrollment.objects.filter(section=section).values_list("student_id", flat=True))
    assert before < after and len(after - before) == 2  # the section's own students stay
    assert not Person.objects.filter(sub="s-gone").exists()

    lms.members = [member("s-1", LEARNER)]  # s-2 left the LMS course: still here, with their work
    client.post(f"/sections/{section.pk}/lms/roster/")
    assert set(Enrollment.objects.filter(section=section).values_list("student_id", flat=True)) == after


def test_the_roster_sync_says_so_when_the_lms_is_down(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform, classroom: dict[str, Any]
) -> None:
    section = classroom["section"]
    Context.objects.create(
        platform=registered, context_id="course-7", section=section, updated_at=section.created_at
    )
    launch(sub="t-1", role=INSTRUCTOR)
    lms.down = True
    count = Enrollment.objects.count()
    response = client.post(f"/sections/{section.pk}/lms/roster/", follow=True)
    assert "could not be read from the LMS" in response.content.decode()
    assert Enrollment.objects.count() == count


def test_dynamic_registration_from_a_one_time_url(client: Client, lms: TestPlatform, db: None) -> None:
    client.force_login(factories.user(Role.ADMIN))
    page = client.post("/lti/register/").content.decode()
    url = page.split('<code id="registration-url">')[1].split("</code>")[0]
    assert url.startswith("http://testserver/lti/register/")
    lms_admin = Client()  # the LMS's admin, not signed in here
    query = urlencode(
        {"openid_configuration": lms.url + "/openid-configuration", "registration_token": "rt-1"}
    )
    done = lms_admin.get(url.removeprefix("http://testserver") + "?" + query)
    assert done.status_code == 200 and "lti/close.js" in done.content.decode()
    platform = Platform.objects.get()
    assert (platform.issuer, platform.client_id, platform.deployment_ids) == (
        lms.issuer,
        "dyn-client-1",
        ["dyn-dep-1"],
    )
    assert platform.key_set_url == lms.url + "/jwks" and platform.auth_token_url == lms.url + "/token"
    [sent] = lms.registrations
    assert sent["initiate_login_uri"] == "http://testserver/lti/login/"
    assert sent["jwks_uri"] == "http://testserver/lti/jwks/"
    assert sent["redirect_uris"] == ["http://testserver/lti/launch/"]
    messages = sent["https://purl.imsglobal.org/spec/lti-tool-configuration"]["messages"]
    assert {m["type"] for m in messages} == {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}
    again = lms_admin.get(url.removeprefix("http://testserver") + "?" + query)  # used once
    assert again.status_code == 404 and Platform.objects.count() == 1


def test_a_made_up_registration_url_registers_nothing(client: Client, lms: TestPlatform, db: None) -> None:
    query = urlencode({"openid_configuration": lms.url + "/openid-configuration"})
    response = client.get("/lti/register/not-a-token/?" + query)
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert not Platform.objects.exists() and not lms.registrations
