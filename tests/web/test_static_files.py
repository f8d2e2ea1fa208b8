"""Static files as `serve` gives them: hashed names kept for a year, and an icon for every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

HASHED = r"[0-9a-f]{12}"
YEAR_OR_MORE = re.compile(r"\bmax-age=(\d+)\b")


@pytest.fixture(scope="module")
def collected_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """collectstatic, once for this module, into a folder of its own (a STATIC_ROOT change gives a fresh
    storage, and the settings return afterwards)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def collected(settings: Any, collected_root: Path) -> Path:
    """Whitenoise serving the collected folder only, as `serve` does."""
    settings.STATIC_ROOT = collected_root
    settings.WHITENOISE_USE_FINDERS = False
    return collected_root


def long_lived(response: Any) -> bool:
    control = response["Cache-Control"]
    age = YEAR_OR_MORE.search(control)
    return bool(age) and int(age.group(1)) >= 365 * 24 * 3600 and "immutable" in control


def test_a_page_links_its_css_by_a_hashed_name_kept_for_a_year(client: Client, collected: Path) -> None:
    page = client.get("/login/").content.decode()

    css = re.search(rf'<link rel="stylesheet" href="(/static/flipmastery\.{HASHED}\.css)">', page)
    assert css, page[:800]
    assert re.search(rf'<script src="/static/vendor/htmx\.min\.{HASHED}\.js" defer></script>', page)
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert long_lived(response), response["Cache-Control"]
    body = b"".join(response.streaming_content).decode()
    # the stylesheet's own links (the Devanagari font) are hashed too, so they are kept as long
    font = re.search(
        rf'url\("(vendor/fonts/noto-sans-devanagari-devanagari-400-normal\.{HASHED}\.woff2)"\)', body
    )
    assert font and (collected / font.group(1)).exists()


def test_an_unhashed_name_is_not_kept_for_a_year(client: Client, collected: Path) -> None:
    response = client.get("/static/flipmastery.css")
    assert response.status_code == 200
    assert not long_lived(response)


def test_every_page_names_its_icon_by_hashed_names(client: Client, collected: Path) -> None:
    page = client.get("/login/").content.decode()

    ico = re.search(
        rf'<link rel="icon" href="(/static/favicon\.{HASHED}\.ico)" sizes="16x16 32x32 48x48">', page
    )
    svg = re.search(rf'<link rel="icon" href="(/static/favicon\.{HASHED}\.svg)" type="image/svg\+xml">', page)
    assert ico and svg, page[:800]
    icon = client.get(svg.group(1))
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml" and long_lived(icon)


def test_favicon_ico_leads_to_the_icon(client: Client, collected: Path) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert re.fullmatch(rf"/static/favicon\.{HASHED}\.ico", response["Location"])
    assert response["Cache-Control"] == "public, max-age=86400"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert long_lived(icon)


def test_before_any_collectstatic_pages_link_the_plain_names_and_the_icon_answers(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path  # nothing collected: whitenoise serves the app folders
    page = client.get("/login/").content.decode()
    assert '<link rel="stylesheet" href="/static/flipmastery.css">' in page

    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/static/favicon.ico", 302)]


def test_a_hindi_page_preloads_the_very_fonts_its_stylesheet_asks_for(
    client: Client, collected: Path
) -> None:
    english = client.get("/login/").content.decode()
    client.cookies["django_language"] = "hi"
    hindi = client.get("/login/").content.decode()

    css = re.search(rf'<link rel="stylesheet" href="(/static/flipmastery\.{HASHED}\.css)">', hindi)
    assert css, hindi[:800]
    body = b"".join(client.get(css.group(1)).streaming_content).decode()
    asked = re.findall(
        rf'url\("(vendor/fonts/noto-sans-devanagari-devanagari-\d00-normal\.{HASHED}\.woff2)"\)', body
    )
    preloaded = re.findall(
        r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', hindi
    )
    assert len(asked) == 2 and preloaded == [f"/static/{name}" for name in asked]  # else fetched twice
    assert 'rel="preload"' not in english
