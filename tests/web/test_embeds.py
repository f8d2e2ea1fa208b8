"""URL → how a learning object is shown: players only for exact trusted hosts, else a link or text."""

from __future__ import annotations

import pytest

from flipmastery.web.embeds import Presentation, present_url

NOCOOKIE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&list=PL123&index=2",
        "http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abcdef",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://WWW.YouTube.com/watch?v=dQw4w9WgXcQ",
        "  https://www.youtube.com/watch?v=dQw4w9WgXcQ  ",
    ],
)
def test_youtube_links_become_the_nocookie_player(url: str) -> None:
    shown = present_url(url)
    assert (shown.mode, shown.src, shown.provider) == ("iframe", NOCOOKIE, "YouTube")


@pytest.mark.parametrize(
    ("url", "start"),
    [
        ("https://youtu.be/dQw4w9WgXcQ?t=90", 90),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", 90),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ?start=5", 5),
    ],
)
def test_a_youtube_start_time_is_kept(url: str, start: int) -> None:
    assert present_url(url).src == f"{NOCOOKIE}?start={start}"


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://www.vimeo.com/76979871/abc123def0", "https://player.vimeo.com/video/76979871?h=abc123def0"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)
def test_vimeo_links_become_the_vimeo_player(url: str, src: str) -> None:
    shown = present_url(url)
    assert (shown.mode, shown.src, shown.provider) == ("iframe", src, "Vimeo")


def test_a_phet_html_simulation_is_embedded_over_https() -> None:
    url = "http://phet.colorado.edu/sims/html/gas-properties/latest/gas-properties_en.html"
    shown = present_url(url)
    assert shown.mode == "iframe"
    assert shown.src == "https://phet.colorado.edu/sims/html/gas-properties/latest/gas-properties_en.html"
    assert shown.provider == "PhET"


def test_a_phet_page_that_is_not_a_simulation_is_a_link() -> None:
    shown = present_url("https://phet.colorado.edu/en/simulations/gas-properties")
    assert (shown.mode, shown.host) == ("link", "phet.colorado.edu")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://diksha.gov.in/play/content/do_123", "diksha.gov.in"),  # not a DIKSHA id
        ("https://diksha.gov.in/explore", "diksha.gov.in"),
        ("https://www.khanacademy.org/science/chem%20istry", "www.khanacademy.org"),
        ("http://10.0.0.5:8080/videos/gas.mp4", "10.0.0.5"),
    ],
)
def test_other_hosts_become_a_link_card_naming_the_host(url: str, host: str) -> None:
    assert present_url(url) == Presentation("link", url, host=host)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "youtube.com.evil.example"),
        ("https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ", "evil.example"),
        ("https://notyoutube.com/watch?v=dQw4w9WgXcQ", "notyoutube.com"),
        ("https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ", "evil.example"),
        ("https://youtu.be.evil.example/dQw4w9WgXcQ", "youtu.be.evil.example"),
        ("https://vimeo.com.evil.example/76979871", "vimeo.com.evil.example"),
        ("https://player.vimeo.com.evil.example/video/76979871", "player.vimeo.com.evil.example"),
        (
            "https://phet.colorado.edu.evil.example/sims/html/x/latest/x_en.html",
            "phet.colorado.edu.evil.example",
        ),
        ("https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ", "www.youtube.com"),
    ],
)
def test_lookalike_hosts_are_a_plain_link_never_an_iframe(url: str, host: str) -> None:
    shown = present_url(url)
    assert shown.mode == "link"
    assert shown.host == host
    assert "youtube-nocookie" not in shown.src and "player.vimeo.com/video" not in shown.src


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
        'https://www.youtube.com/embed/dQw4w9WgXc"><script>',
        "https://www.youtube.com/watch",
        "https://vimeo.com/notanumber",
        "https://phet.colorado.edu/sims/html/../../x.html",
    ],
)
def test_malformed_ids_never_become_an_iframe(url: str) -> None:
    assert present_url(url).mode != "iframe"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)//https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//www.youtube.com/watch?v=dQw4w9WgXcQ",
        "www.youtube.com/watch?v=dQw4w9WgXcQ",
        "",
    ],
)
def test_hostile_or_relative_urls_are_plain_text_not_a_link(url: str) -> None:
    shown = present_url(url)
    assert shown.mode == "text"
    assert shown.host == ""


KA_EMBED = "https://www.khanacademy.org/embed_video?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [KA_EMBED, "https://khanacademy.org/embed_video?v=dQw4w9WgXcQ&internal_video_only=1"],
)
def test_a_khan_academy_embed_link_plays_in_khan_academys_player(url: str) -> None:
    shown = present_url(url)
    assert (shown.mode, shown.src, shown.provider) == ("iframe", KA_EMBED, "Khan Academy")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (
            "https://www.khanacademy.org/science/chemistry/gases-and-kinetic-molecular-theory/v/boyles-law",
            "video",
        ),
        (
            "https://www.khanacademy.org/math/algebra/x2f8bb11595b61c86:solve/e/one-step-add-sub-equations",
            "exercise",
        ),
        ("https://www.khanacademy.org/science/chemistry", ""),
    ],
)
def test_a_khan_academy_page_is_a_khan_academy_card(url: str, kind: str) -> None:
    shown = present_url(url)
    assert (shown.mode, shown.provider, shown.app) == ("card", "Khan Academy", "")
    assert shown.src == url and shown.kind == kind


@pytest.mark.parametrize(
    ("url", "web", "kind"),
    [
        (
            "https://diksha.gov.in/resources/play/content/do_312473549722288128119665",
            "https://diksha.gov.in/play/content/do_312473549722288128119665",
            "content",
        ),
        (
            "https://diksha.gov.in/play/collection/do_3129943367395901441178?contentType=TextBook",
            "https://diksha.gov.in/play/collection/do_3129943367395901441178",
            "collection",
        ),
        ("https://diksha.gov.in/dial/a1b2c3", "https://diksha.gov.in/dial/A1B2C3", "textbook QR"),
    ],
)
def test_diksha_content_is_a_card_that_opens_the_diksha_app(url: str, web: str, kind: str) -> None:
    shown = present_url(url)
    assert (shown.mode, shown.src, shown.provider, shown.kind) == ("card", web, "DIKSHA", kind)
    path = web.removeprefix("https://diksha.gov.in")
    assert shown.app.startswith(
        f"intent://diksha.gov.in{path}#Intent;scheme=https;package=in.gov.diksha.app;"
    )
    assert shown.app.endswith(";end") and "S.browser_fallback_url=https%3A%2F%2Fdiksha.gov.in" in shown.app


@pytest.mark.parametrize(
    "url",
    [
        "https://diksha.gov.in.evil.example/play/content/do_312473549722288128119665",
        "https://diksha.gov.in/play/content/do_3124735497222881%22onclick",
        "https://diksha.gov.in/dial/ABC",
        "https://www.khanacademy.org.evil.example/embed_video?v=dQw4w9WgXcQ",
        "https://www.khanacademy.org/embed_video?v=bad",
    ],
)
def test_lookalike_or_malformed_diksha_and_khan_links_never_open_an_app_or_a_player(url: str) -> None:
    shown = present_url(url)
    assert shown.mode != "iframe" and shown.app == ""
