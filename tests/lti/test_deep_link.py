"""Deep linking: a teacher of the LMS course picks an objective of ours; it goes back as an ltiResourceLink
in a JWT signed with our key, and a learner's launch of that link lands on that objective."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import jwt
from django.test import Client

from flipmastery.lti.models import Context, Placement, Platform
from tests.lti.conftest import Launch
from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def answer_of(page: str) -> tuple[str, str]:
    action = unescape(re.search(r'<form method="post" action="([^"]+)" data-post-back', page).group(1))  # type: ignore[union-attr]
    token = re.search(r'name="JWT" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return action, token


def test_a_teacher_places_an_objective_and_a_learner_lands_on_it(
    client: Client, launch: Launch, lms: TestPlatform, registered: Platform, classroom: dict[str, Any]
) -> None:
    section, b = classroom["section"], classroom["b"]
    Context.objects.create(
        platform=registered, context_id="course-7", section=section, updated_at=section.created_at
    )
    teacher_browser = Client()
    response = launch(sub="t-1", role=INSTRUCTOR, message_type="LtiDeepLinkingRequest", who=teacher_browser)
    assert response["Location"] == "/lti/deep-link/"
    picker = teacher_browser.get("/lti/deep-link/").content.decode()
    assert f'value="objective:{b.pk}"' in picker and f'value="unit:{classroom["unit"].pk}"' in picker

    done = teacher_browser.post("/lti/deep-link/", {"choice": f"objective:{b.pk}"})
    assert done.status_code == 200
    page = done.content.decode()
    action, token = answer_of(page)
    assert action == lms.url + "/deep-link-return"
    assert (
        f"form-action 'self' {lms.url}" in done["Content-Security-Policy"]
    )  # the answer may leave for the LMS
    # The LMS checks it with the key our JWKS publishes, by its kid.
    ours = {k["kid"]: k for k in client.get("/lti/jwks/").json()["keys"]}
    key = jwt.PyJWK(ours[jwt.get_unverified_header(token)["kid"]]).key
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=lms.issuer)
    assert claims["iss"] == lms.client_id
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert claims[DL + "data"] == "opaque-data-7"
    [item] = claims[DL + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == "http://testserver/lti/launch/"
    assert item["custom"] == {"flipmastery_target": f"objective:{b.pk}"}
    assert item["lineItem"]["scoreMaximum"] == 1 and item["lineItem"]["resourceId"] == f"objective:{b.pk}"
    assert item["title"].startswith("GAS-2")

    # The LMS shows the link; a learner opens it.
    landed = launch(sub="s-1", role=LEARNER, resource_link="rl-9", custom=item["custom"])
    assert landed["Location"] == f"/sections/{section.pk}/playlist/#obj-GAS-2"
    placement = Placement.objects.get()
    assert (placement.resource_link_id, placement.kind, placement.target_id) == ("rl-9", "objective", b.pk)
    assert 'id="obj-GAS-2"' in client.get(landed["Location"]).content.decode()


def test_a_learner_cannot_place_links(client: Client, launch: Launch) -> None:
    response = launch(sub="s-1", role=LEARNER, message_type="LtiDeepLinkingRequest")
    assert response.status_code == 403 and "Only a teacher" in response.content.decode()
    assert client.get("/lti/deep-link/").status_code in (302, 404)


def test_a_choice_outside_the_teachers_courses_is_not_found(
    client: Client, launch: Launch, classroom: dict[str, Any], registered: Platform
) -> None:
    section = classroom["section"]
    Context.objects.create(
        platform=registered, context_id="course-7", section=section, updated_at=section.created_at
    )
    launch(sub="t-1", role=INSTRUCTOR, message_type="LtiDeepLinkingRequest")
    from tests import factories

    elsewhere = factories.objective()
    assert client.post("/lti/deep-link/", {"choice": f"objective:{elsewhere.pk}"}).status_code == 404
    assert not Placement.objects.exists()
