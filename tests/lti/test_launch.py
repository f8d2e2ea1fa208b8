"""Launches from an LMS: a teacher ties the LMS course to a section, a learner lands on its playlist; a
replayed, forged, expired or misaddressed launch is refused with a page that says why, and changes nothing."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Enrollment
from flipmastery.lti.models import Context, Person, Platform
from tests import factories
from tests.lti.conftest import Launch, start
from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform, new_key


def text(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content[:800]
    return str(response.content.decode())


def test_a_teachers_first_launch_asks_which_course_and_then_lands_on_the_cockpit(
    client: Client, launch: Launch, classroom: dict[str, Any]
) -> None:
    response = launch(sub="t-1", role=INSTRUCTOR)
    context = Context.objects.get()
    assert response["Location"] == f"/lti/contexts/{context.pk}/section/"
    teacher = Person.objects.get(sub="t-1").user
    assert (
        teacher.role == "teacher"
        and teacher.display_name == "Person t-1"
        and not teacher.has_usable_password()
    )
    page = text(client.get(response["Location"]))
    assert (
        "Which section is this course?" in page and "no-course" in page
    )  # no course is assigned to them yet

    teacher.courses_taught.add(classroom["course"])
    page = text(client.get(response["Location"]))
    assert f'value="course:{classroom["course"].pk}"' in page
    done = client.post(response["Location"], {"choice": f"course:{classroom['course'].pk}"})
    context.refresh_from_db()
    assert context.section is not None and context.section.name == "Chemistry 11 (LMS)"
    assert done["Location"] == f"/sections/{context.section.pk}/grid/"
    assert list(context.section.teachers.all()) == [teacher]
    assert client.get(done["Location"]).status_code == 200

    again = launch(sub="t-1", role=INSTRUCTOR)  # the next launch goes straight to the cockpit
    assert again["Location"] == f"/sections/{context.section.pk}/grid/"


def test_a_learner_is_made_enrolled_and_lands_on_the_playlist(
    client: Client, launch: Launch, classroom: dict[str, Any], registered: Platform
) -> None:
    section = classroom["section"]
    Context.objects.create(
        platform=registered, context_id="course-7", section=section, updated_at=section.created_at
    )
    response = launch(sub="s-1", role=LEARNER)
    student = Person.objects.get(sub="s-1").user
    assert response["Location"] == f"/sections/{section.pk}/playlist/"
    assert student.role == "student" and Enrollment.objects.filter(section=section, student=student).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    # Inside the LMS's iframe: the LMS may frame this session's pages, nobody else.
    assert "frame-ancestors 'self' " in page["Content-Security-Policy"]
    assert registered.issuer in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page

    launch(sub="s-1", role=LEARNER)  # a second launch: the same person, enrolled once
    assert User.objects.filter(lti_ids__sub="s-1").count() == 1
    assert Enrollment.objects.filter(section=section, student=student).count() == 1


def test_a_learner_before_the_teacher_waits_with_a_clear_page(
    client: Client, launch: Launch, db: None
) -> None:
    response = launch(sub="s-1", role=LEARNER)
    assert response["Location"] == "/lti/waiting/"
    assert "has not opened this course here yet" in text(client.get("/lti/waiting/"))


def test_a_replayed_launch_is_refused_and_signs_nobody_in(client: Client, launch: Launch, db: None) -> None:
    launch(sub="s-1", role=LEARNER)
    first = launch.last  # type: ignore[attr-defined]
    people = User.objects.count()
    other = Client()
    other.cookies = client.cookies  # the same browser, even
    again = other.post("/lti/launch/", first)
    assert "This launch was already used" in text(again, 403)
    assert User.objects.count() == people
    assert "_auth_user_id" not in other.session or other.session.get("_auth_user_id") == client.session.get(
        "_auth_user_id"
    )


def test_a_launch_signed_with_another_key_is_refused(
    client: Client, launch: Launch, lms: TestPlatform
) -> None:
    _forged, pem = new_key()
    response = launch(sub="s-1", role=LEARNER, pem=pem)  # the LMS's kid, someone else's key
    assert "signature does not match" in text(response, 400)
    assert not Person.objects.exists() and "_auth_user_id" not in client.session


def test_a_launch_for_another_tool_is_refused(client: Client, launch: Launch) -> None:
    response = launch(sub="s-1", role=LEARNER, aud="another-tool")
    assert response.status_code == 400
    assert not Person.objects.exists() and "_auth_user_id" not in client.session


def test_a_launch_with_two_audiences_needs_us_as_the_authorized_party(client: Client, launch: Launch) -> None:
    response = launch(sub="s-1", role=LEARNER, aud=["flip-client", "other"], extra={"azp": "other"})
    assert "meant for another tool" in text(response, 403)
    assert not Person.objects.exists()


def test_an_expired_launch_is_refused_with_a_clear_page(client: Client, launch: Launch) -> None:
    response = launch(sub="s-1", role=LEARNER, exp=int(time.time()) - 120)
    page = text(response, 400)
    assert "This launch has expired" in page and "Traceback" not in page
    assert not Person.objects.exists()


def test_a_launch_without_our_state_cookie_is_refused(
    client: Client, launch: Launch, lms: TestPlatform
) -> None:
    asked = start(client, lms)
    token = lms.id_token(nonce=asked["nonce"], sub="s-1", role=LEARNER)
    stranger = Client()  # the id_token caught on its way and posted from another browser
    response = stranger.post("/lti/launch/", {"id_token": token, "state": asked["state"]})
    assert "cannot be matched to its start" in text(response, 400)
    assert "_auth_user_id" not in stranger.session and not Person.objects.exists()


def test_an_unknown_deployment_is_refused(client: Client, launch: Launch, lms: TestPlatform) -> None:
    lms.deployment_id = "dep-unknown"
    response = launch(sub="s-1", role=LEARNER)
    assert "deployment" in text(response, 400)


def test_a_login_from_an_unregistered_lms_is_refused(client: Client, db: None) -> None:
    response = client.post(
        "/lti/login/", {"iss": "https://nobody.example", "login_hint": "x", "client_id": "c"}
    )
    assert "not registered" in text(response, 400)


def test_a_role_we_do_not_know_is_refused(client: Client, launch: Launch) -> None:
    response = launch(sub="m-1", role="http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor")
    assert "no role we know" in text(response, 403)


def test_a_learner_who_is_made_an_instructor_becomes_a_teacher_never_an_admin(
    client: Client, launch: Launch, db: None
) -> None:
    launch(sub="x-1", role=LEARNER)
    launch(sub="x-1", role=INSTRUCTOR)
    assert Person.objects.get(sub="x-1").user.role == "teacher"
    factories.teacher()  # unrelated people are untouched


def test_a_teacher_of_another_lms_course_cannot_tie_this_one(
    client: Client, launch: Launch, classroom: dict[str, Any]
) -> None:
    first = launch(sub="t-1", role=INSTRUCTOR, context_id="course-7")
    intruder = Client()
    launch(sub="t-2", role=INSTRUCTOR, context_id="course-8", who=intruder)
    intruder_user = Person.objects.get(sub="t-2").user
    intruder_user.courses_taught.add(classroom["course"])
    target = Context.objects.get(context_id="course-7")
    assert intruder.get(first["Location"]).status_code == 404
    response = intruder.post(first["Location"], {"choice": f"course:{classroom['course'].pk}"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.section is None
    factories.student()  # and a student of ours never reaches it either
    student_browser = Client()
    student_browser.force_login(classroom["students"][0])
    assert student_browser.get(first["Location"]).status_code == 404


def test_the_lms_keys_are_kept_and_fetched_again_when_it_rotates(
    client: Client, launch: Launch, lms: TestPlatform
) -> None:
    assert launch(sub="s-1", role=LEARNER).status_code == 302
    lms.rotate()  # our cached key set does not have the new kid
    assert launch(sub="s-1", role=LEARNER).status_code == 302
    forged, pem = new_key()
    response = launch(sub="s-1", role=LEARNER, pem=pem, kid=forged.thumbprint())  # a kid nobody published
    assert "signature does not match" in text(response, 400)


def test_over_https_the_launch_cookies_work_in_a_cross_site_frame(
    client: Client, lms: TestPlatform, registered: Platform
) -> None:
    asked = client.post(
        "/lti/login/",
        {"iss": lms.issuer, "login_hint": "h", "client_id": lms.client_id, "target_link_uri": "x"},
        secure=True,
    )
    for name, cookie in asked.cookies.items():
        assert name.startswith("lti1p3-") and cookie["samesite"] == "None" and cookie["secure"], name
    query = {k: v[0] for k, v in parse_qs(urlsplit(asked["Location"]).query).items()}
    assert query["redirect_uri"] == "https://testserver/lti/launch/"
    token = lms.id_token(nonce=query["nonce"], sub="s-1", role=LEARNER)
    landed = client.post("/lti/launch/", {"id_token": token, "state": query["state"]}, secure=True)
    assert landed.status_code == 302 and Person.objects.filter(sub="s-1").exists()


@pytest.mark.parametrize(
    ("role", "ours"),
    [
        ("http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper", "teacher"),
        ("http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator", "teacher"),
        ("http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant", "teacher"),
        ("http://purl.imsglobal.org/vocab/lis/v2/membership/Learner#NonCreditLearner", "student"),
    ],
)
def test_the_lms_roles_we_know(client: Client, launch: Launch, role: str, ours: str) -> None:
    assert launch(sub="p-1", role=role).status_code == 302
    person = Person.objects.get(sub="p-1").user
    assert person.role == ours and not person.is_school_admin


def test_an_lms_registered_again_knows_its_people(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform
) -> None:
    launch(sub="s-1", role=LEARNER)
    first = Person.objects.get(sub="s-1").user
    registered.delete()  # taken off, then registered again (a new client id, say)
    lms.client_id = "flip-client-2"
    again = Platform.objects.create(
        **{
            **{
                f: getattr(registered, f)
                for f in ("name", "issuer", "auth_login_url", "auth_token_url", "key_set_url")
            }
        },
        client_id="flip-client-2",
        deployment_ids=["dep-1"],
        created_at=registered.created_at,
    )
    assert again.pk != registered.pk
    launch(sub="s-1", role=LEARNER)
    assert (
        Person.objects.get(sub="s-1").user == first and User.objects.filter(lti_ids__sub="s-1").count() == 1
    )
