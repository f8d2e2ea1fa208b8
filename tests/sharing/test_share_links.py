"""Share links over HTTP: a chat unfurls them without signing in and sees nothing private; a person lands
on the objective (or the join page); only a section's teachers make them."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from flipmastery.classroom.models import Enrollment, Section
from flipmastery.sharing.models import ShareLink
from tests import factories

pytestmark = pytest.mark.django_db

UNFURLERS = [
    "WhatsApp/2.23.20.0 A",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
]


def make(client: Client, room: dict[str, Any], objective: str = "GAS-1") -> ShareLink:
    client.force_login(room["teacher"])
    made = client.post(reverse("share_create", args=[room["section"].pk]), {"objective": objective})
    assert made.status_code == 302
    link = ShareLink.objects.get()
    assert made.url == reverse("share_page", args=[link.code])
    client.logout()
    return link


def og(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:]+)" content="([^"]*)"', html))


@pytest.mark.parametrize("agent", UNFURLERS)
def test_a_chat_unfurls_the_link_without_signing_in(
    client: Client, classroom: dict[str, Any], agent: str
) -> None:
    link = make(client, classroom)

    page = client.get(f"/s/{link.code}/", HTTP_USER_AGENT=agent)

    assert page.status_code == 200
    tags = og(page.content.decode())
    assert tags["og:title"] == "Chemistry · GAS-1: Explain gas pressure."
    assert tags["og:description"] == (
        "Learn it with Video 1, Text Section 12.1, then show that you have mastered it in a short check."
    )
    assert tags["og:url"] == f"http://testserver/s/{link.code}/"
    assert tags["og:image"] == f"http://testserver/s/{link.code}/image.png"
    assert tags["twitter:card"] == "summary"
    image = client.get(f"/s/{link.code}/image.png", HTTP_USER_AGENT=agent)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", image.content[16:24])  # the IHDR chunk
    assert (str(width), str(height)) == (tags["og:image:width"], tags["og:image:height"])
    assert width >= 300


def test_the_card_costs_the_same_queries_for_a_bigger_class(
    client: Client, classroom: dict[str, Any], django_assert_num_queries: Any
) -> None:
    link = make(client, classroom)
    for i in range(5):
        factories.learning_object(classroom["a"], title=f"Extra {i}", order=5 + i)
        Enrollment.objects.create(section=classroom["section"], student=factories.student(username=f"s{i}"))

    with django_assert_num_queries(
        2
    ):  # the link with its section, course and objective; its learning objects
        assert client.get(f"/s/{link.code}/").status_code == 200


def test_the_card_says_nothing_private(client: Client, classroom: dict[str, Any]) -> None:
    link = make(client, classroom)
    section = classroom["section"]

    html = client.get(f"/s/{link.code}/").content.decode()

    private = [section.name, section.join_code, classroom["teacher"].username, "mr_other", "zed"]
    private += [s.username for s in classroom["students"]]
    assert [word for word in private if word.lower() in html.lower()] == []
    assert re.search(r"\d\s?%", re.sub(r'href="[^"]*"', "", html)) is None  # no scores, no thresholds


def test_the_card_of_a_hindi_course_speaks_hindi(client: Client, classroom: dict[str, Any]) -> None:
    link = make(client, classroom)
    classroom["course"].language = "hi"
    classroom["course"].save()

    html = client.get(f"/s/{link.code}/").content.decode()

    assert '<html lang="hi"' in html
    chosen = Client()
    chosen.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in chosen.get(f"/s/{link.code}/").content.decode()


def test_a_playlist_link_unfurls_with_the_course(client: Client, classroom: dict[str, Any]) -> None:
    link = make(client, classroom, objective="")

    tags = og(client.get(f"/s/{link.code}/").content.decode())

    assert link.objective is None
    assert tags["og:title"] == "Chemistry · the playlist"
    assert "at your own pace" in tags["og:description"]


def test_signed_out_the_card_signs_in_and_comes_back(client: Client, classroom: dict[str, Any]) -> None:
    link = make(client, classroom)

    html = client.get(f"/s/{link.code}/").content.decode()

    assert f'href="/login/?next=%2Fs%2F{link.code}%2F"' in html
    signed_in = client.post(
        f"/login/?next=/s/{link.code}/",
        {"username": "asha", "password": factories.PASSWORD, "next": f"/s/{link.code}/"},
    )
    assert signed_in.status_code == 302 and signed_in.url == f"/s/{link.code}/"


def test_a_student_of_the_section_lands_on_the_objective(
    client: Client, classroom: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    link = make(client, classroom)

    opened = as_user(classroom["students"][0]).get(f"/s/{link.code}/")

    assert opened.status_code == 302
    assert opened.url == reverse("playlist", args=[classroom["section"].pk]) + "#obj-GAS-1"
    assert 'id="obj-GAS-1"' in client.get(opened.url).content.decode()


def test_the_sections_teacher_lands_on_the_outline(
    client: Client, classroom: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    link = make(client, classroom, objective="GAS-2")

    opened = as_user(classroom["teacher"]).get(f"/s/{link.code}/")

    assert opened.url == reverse("course_outline", args=[classroom["section"].pk]) + "#obj-GAS-2"
    assert 'id="obj-GAS-2"' in client.get(opened.url).content.decode()


def test_a_student_of_another_section_gets_the_join_page(
    client: Client, classroom: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    link = make(client, classroom)

    opened = as_user(classroom["outsider"]).get(f"/s/{link.code}/")

    assert opened.status_code == 302
    assert opened.url == reverse("join_code", args=[classroom["section"].join_code])


@pytest.mark.parametrize("mode", ["open", "closed"])
def test_an_open_or_closed_sections_code_is_not_handed_out(
    client: Client, classroom: dict[str, Any], as_user: Callable[[Any], Client], mode: str
) -> None:
    link = make(client, classroom)
    Section.objects.filter(pk=classroom["section"].pk).update(join_mode=mode)

    opened = as_user(classroom["outsider"]).get(f"/s/{link.code}/")

    assert opened.status_code == 302 and opened.url == reverse("join")
    assert classroom["section"].join_code not in opened.content.decode()


def test_an_unknown_code_is_404(client: Client, classroom: dict[str, Any]) -> None:
    assert client.get("/s/nosuchco/").status_code == 404
    assert client.get("/s/nosuchco/image.png").status_code == 404


def test_the_same_objective_keeps_its_link(client: Client, classroom: dict[str, Any]) -> None:
    link = make(client, classroom)
    client.force_login(classroom["teacher"])

    again = client.post(reverse("share_create", args=[classroom["section"].pk]), {"objective": "GAS-1"})

    assert again.url == reverse("share_page", args=[link.code]) and ShareLink.objects.count() == 1


def test_the_teacher_sees_the_link_and_a_qr_code(client: Client, classroom: dict[str, Any]) -> None:
    link = make(client, classroom)
    client.force_login(classroom["teacher"])

    html = client.get(reverse("share_page", args=[link.code])).content.decode()

    assert f'value="http://testserver/s/{link.code}/"' in html
    assert 'class="qr"><title>' in html and 'id="share-copy"' in html
    outline = client.get(reverse("course_outline", args=[classroom["section"].pk])).content.decode()
    assert 'id="share-GAS-1"' in outline and 'id="share-playlist"' in outline


@pytest.mark.parametrize("who", ["students", "other_teacher"])
def test_only_the_sections_teachers_make_links(
    classroom: dict[str, Any], as_user: Callable[[Any], Client], who: str
) -> None:
    person = classroom[who][0] if who == "students" else classroom[who]

    refused = as_user(person).post(
        reverse("share_create", args=[classroom["section"].pk]), {"objective": "GAS-1"}
    )

    assert refused.status_code == 404
    assert ShareLink.objects.count() == 0


def test_another_teacher_does_not_see_the_share_page(
    client: Client, classroom: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    link = make(client, classroom)

    assert as_user(classroom["other_teacher"]).get(reverse("share_page", args=[link.code])).status_code == 404


def test_an_objective_of_another_course_or_unknown_is_refused(
    client: Client, classroom: dict[str, Any], as_user: Callable[[Any], Client]
) -> None:
    other = factories.objective(factories.unit(factories.course(code="BIO")), code="CELL-1")

    for code in [other.code, "NOPE-9"]:
        refused = as_user(classroom["teacher"]).post(
            reverse("share_create", args=[classroom["section"].pk]), {"objective": code}
        )
        assert refused.status_code == 404
    assert ShareLink.objects.count() == 0


def test_a_link_to_an_objective_taken_out_is_404(client: Client, classroom: dict[str, Any]) -> None:
    link = make(client, classroom)
    classroom["a"].retired = True
    classroom["a"].save()

    assert client.get(f"/s/{link.code}/").status_code == 404
