"""A learning object shown the best way its host allows, only to the section's students and teachers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories


def page(client: Client, classroom: dict[str, Any], lo: Any) -> str:
    response = client.get(f"/sections/{classroom['section'].pk}/learn/{lo.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_youtube_video_is_the_nocookie_player(as_user: Any, classroom: dict[str, Any]) -> None:
    html = page(as_user(classroom["students"][0]), classroom, classroom["primary"])
    assert '<h1 lang="en">Video 1</h1>' in html
    assert "Explain gas pressure." in html and "GAS-1" in html
    assert '<iframe class="player" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in html


@pytest.mark.parametrize(
    ("url", "iframe_src"),
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        (
            "https://phet.colorado.edu/sims/html/gas-properties/latest/gas-properties_en.html",
            "https://phet.colorado.edu/sims/html/gas-properties/latest/gas-properties_en.html",
        ),
    ],
)
def test_vimeo_and_phet_are_embedded(
    as_user: Any, classroom: dict[str, Any], url: str, iframe_src: str
) -> None:
    lo = factories.learning_object(classroom["a"], url=url, kind="simulation")
    html = page(as_user(classroom["students"][0]), classroom, lo)
    assert f'src="{iframe_src}"' in html


def test_another_host_is_a_link_card_opening_a_new_tab(as_user: Any, classroom: dict[str, Any]) -> None:
    lo = factories.learning_object(
        classroom["a"], kind="link", title="DIKSHA video", url="https://diksha.gov.in/play/content/do_31"
    )
    html = page(as_user(classroom["students"][0]), classroom, lo)
    assert (
        '<a class="card linkcard" href="https://diksha.gov.in/play/content/do_31" target="_blank" '
        'rel="noopener noreferrer">'
    ) in html
    assert "Opens diksha.gov.in in a new tab" in html
    assert "<iframe" not in html


@pytest.mark.parametrize(
    "url", ["https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "javascript:alert(1)", "data:text/html,x"]
)
def test_hostile_urls_are_never_an_iframe_nor_a_script_link(
    as_user: Any, classroom: dict[str, Any], url: str
) -> None:
    lo = factories.learning_object(classroom["a"], url=url)
    html = page(as_user(classroom["students"][0]), classroom, lo)
    assert "<iframe" not in html
    assert 'href="javascript:' not in html and 'href="data:' not in html


def test_a_text_body_is_rendered_markdown(as_user: Any, classroom: dict[str, Any]) -> None:
    html = page(as_user(classroom["students"][0]), classroom, classroom["alternate"])
    assert '<div class="body" lang="en"><p><strong>Pressure</strong> is force per area.</p></div>' in html
    assert "<iframe" not in html


def test_a_hostile_body_renders_inert(as_user: Any, classroom: dict[str, Any]) -> None:
    lo = factories.learning_object(
        classroom["a"],
        kind="text",
        url="",
        body='Hi <script>alert("x")</script>\n\n<img src=x onerror=alert(1)> **<svg onload=alert(2)>**',
    )
    html = page(as_user(classroom["students"][0]), classroom, lo)
    body = html.split('<div class="body"', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "<img" not in body and "<svg" not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body


def test_an_uploaded_video_plays_from_our_media_view(as_user: Any, classroom: dict[str, Any]) -> None:
    lo = factories.learning_object(classroom["a"], url="", file="learning-objects/2025/boyle.mp4")
    html = page(as_user(classroom["students"][0]), classroom, lo)
    # its frame at half a second is the poster; the page counts what is played of it
    video = (
        '<video class="player" controls preload="metadata" src="/media/learning-objects/2025/boyle.mp4#t=0.5"'
    )
    assert f'{video} data-watch-url="/sections/{classroom["section"].pk}/learn/{lo.pk}/watched/">' in html


def test_another_uploaded_file_is_a_download(as_user: Any, classroom: dict[str, Any]) -> None:
    lo = factories.learning_object(
        classroom["a"], kind="worksheet", url="", file="learning-objects/2025/sheet.pdf"
    )
    html = page(as_user(classroom["students"][0]), classroom, lo)
    assert (
        'href="/media/learning-objects/2025/sheet.pdf" hx-boost="false" download>Download sheet.pdf</a>'
        in html
    )
    assert "<video" not in html


def test_the_sections_teacher_may_preview_it(as_user: Any, classroom: dict[str, Any]) -> None:
    html = page(as_user(classroom["teacher"]), classroom, classroom["primary"])
    assert f'href="/sections/{classroom["section"].pk}/outline/"' in html


@pytest.mark.parametrize("who", ["outsider", "other_teacher"])
def test_it_is_not_found_for_people_of_another_section(
    as_user: Any, classroom: dict[str, Any], who: str
) -> None:
    response = as_user(classroom[who]).get(
        f"/sections/{classroom['section'].pk}/learn/{classroom['primary'].pk}/"
    )
    assert response.status_code == 404


def test_a_retired_one_or_one_of_another_course_is_not_found(as_user: Any, classroom: dict[str, Any]) -> None:
    retired = factories.learning_object(classroom["a"], retired=True)
    foreign = factories.learning_object(factories.objective())
    retired_objective = factories.objective(classroom["unit"], retired=True)
    hidden = factories.learning_object(retired_objective)
    client = as_user(classroom["students"][0])
    for lo in (retired, foreign, hidden):
        assert client.get(f"/sections/{classroom['section'].pk}/learn/{lo.pk}/").status_code == 404


def test_diksha_content_is_a_card_opening_the_diksha_app_or_its_page(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    url = "https://diksha.gov.in/play/content/do_312473549722288128119665"
    lo = factories.learning_object(classroom["a"], kind="video", title="Boyle's law (NCERT)", url=url)
    html = page(as_user(classroom["students"][0]), classroom, lo)
    assert "<iframe" not in html  # DIKSHA pages refuse to be framed
    assert '<p class="provider-name small">DIKSHA · content</p>' in html
    assert '<strong lang="en">Boyle&#x27;s law (NCERT)</strong>' in html
    app = url.replace("https://", "intent://") + "#Intent;scheme=https;package=in.gov.diksha.app;"
    assert f'href="{app}' in html
    assert ">Open in the DIKSHA app</a>" in html
    assert f'href="{url}" target="_blank" rel="noopener noreferrer">Open on DIKSHA</a>' in html


def test_a_khan_academy_embed_link_plays_here(as_user: Any, classroom: dict[str, Any]) -> None:
    url = "https://www.khanacademy.org/embed_video?v=dQw4w9WgXcQ"
    lo = factories.learning_object(classroom["a"], title="Boyle's law (Khan Academy)", url=url)
    html = page(as_user(classroom["students"][0]), classroom, lo)
    assert f'<iframe class="player" src="{url}"' in html
    assert ">Open on Khan Academy</a>" in html
