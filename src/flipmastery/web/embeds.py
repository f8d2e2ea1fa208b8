"""How a learning object's URL is shown: an embedded player for hosts we trust, else a link card.

Pure functions. An iframe is only ever built from an ID we parsed out of an exact, allow-listed host,
never from the teacher's URL itself, so a lookalike host or a hostile scheme can at most become a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import SplitResult, parse_qs, quote, urlsplit, urlunsplit

YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
)
YOUTU_BE_HOSTS = frozenset({"youtu.be", "www.youtu.be"})
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})
PHET_HOST = "phet.colorado.edu"
KHAN_HOSTS = frozenset({"khanacademy.org", "www.khanacademy.org"})
DIKSHA_HOSTS = frozenset({"diksha.gov.in", "www.diksha.gov.in"})
DIKSHA_APP = "in.gov.diksha.app"  # the DIKSHA app on Android; the intent link opens it, else the web page

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")
SAFE_PHET_PATH = re.compile(r"^/[A-Za-z0-9_./-]+\.html$")
DIKSHA_ID = re.compile(r"^do_[0-9]{10,40}$")
DIKSHA_DIAL = re.compile(r"^[A-Z0-9]{6}$")  # the 6-symbol code printed under a textbook's QR code
KHAN_SLUG = re.compile(r"^[a-z0-9:-]{1,120}$")  # unit slugs carry ids such as x2f8bb11595b61c86:solve

Mode = Literal["iframe", "card", "link", "text"]


@dataclass(frozen=True)
class Presentation:
    """`iframe`: embed `src`; `card`: a card of a known provider opening `src` (and `app`, its app, when
    it has one); `link`: a link card to `src` naming `host`; `text`: not a safe link at all."""

    mode: Mode
    src: str
    host: str = ""
    provider: str = ""
    app: str = ""
    kind: str = ""  # what the card opens, e.g. "content", "collection", "textbook QR", "video"


def present_url(url: str) -> Presentation:
    """The best safe way to show `url`: an embedded player, a link card, or (unsafe schemes) plain text."""
    for finder in (youtube_embed, vimeo_embed, phet_embed, khan_embed, diksha_card):
        found = finder(url)
        if found is not None:
            return found
    parts = _split(url, strict=False)
    if parts is None:
        return Presentation("text", (url or "").strip())
    return Presentation("link", urlunsplit(parts), host=parts.hostname or "")


def youtube_embed(url: str) -> Presentation | None:
    """watch?v=, youtu.be/, /embed/, /shorts/ and /live/ links → the privacy-enhanced nocookie player."""
    parts = _split(url)
    if parts is None:
        return None
    host = parts.hostname or ""
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    video_id = ""
    if host in YOUTU_BE_HOSTS and len(segments) == 1:
        video_id = segments[0]
    elif host in YOUTUBE_HOSTS:
        if segments == ["watch"]:
            video_id = (query.get("v") or [""])[0]
        elif len(segments) == 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            video_id = segments[1]
    if not YOUTUBE_ID.match(video_id):
        return None
    start = _seconds((query.get("t") or query.get("start") or [""])[0])
    suffix = f"?start={start}" if start else ""
    return Presentation(
        "iframe", f"https://www.youtube-nocookie.com/embed/{video_id}{suffix}", host=host, provider="YouTube"
    )


def vimeo_embed(url: str) -> Presentation | None:
    """vimeo.com/ID, vimeo.com/ID/HASH (unlisted), vimeo.com/channels/…/ID, player.vimeo.com/video/ID."""
    parts = _split(url)
    if parts is None or (parts.hostname or "") not in VIMEO_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    video_id, secret = "", (query.get("h") or [""])[0]
    if parts.hostname == "player.vimeo.com":
        if len(segments) == 2 and segments[0] == "video":
            video_id = segments[1]
    elif len(segments) in (1, 2) and VIMEO_ID.match(segments[0]):
        video_id = segments[0]
        secret = segments[1] if len(segments) == 2 else secret
    elif len(segments) == 3 and segments[0] in {"channels", "groups"}:
        video_id = segments[2]
    elif len(segments) == 4 and segments[0] == "groups" and segments[2] == "videos":
        video_id = segments[3]
    if not VIMEO_ID.match(video_id):
        return None
    suffix = f"?h={secret}" if VIMEO_HASH.match(secret) else ""
    return Presentation(
        "iframe",
        f"https://player.vimeo.com/video/{video_id}{suffix}",
        host=parts.hostname or "",
        provider="Vimeo",
    )


def phet_embed(url: str) -> Presentation | None:
    """A PhET HTML5 simulation (…/sims/html/…/x_en.html) runs in an iframe; other PhET pages are links."""
    parts = _split(url)
    if parts is None or parts.hostname != PHET_HOST or not SAFE_PHET_PATH.match(parts.path):
        return None
    if ".." in parts.path:
        return None
    src = urlunsplit(("https", PHET_HOST, parts.path, quote(parts.query, safe="=&"), ""))
    return Presentation("iframe", src, host=PHET_HOST, provider="PhET")


def khan_embed(url: str) -> Presentation | None:
    """Khan Academy's own player for its embed links (Share › Embed: khanacademy.org/embed_video?v=ID);
    a page of a Khan Academy video or exercise (its address names no video) is a Khan Academy card."""
    parts = _split(url)
    if parts is None or (parts.hostname or "") not in KHAN_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    video_id = (parse_qs(parts.query).get("v") or [""])[0]
    if segments == ["embed_video"] and YOUTUBE_ID.match(video_id):
        src = f"https://www.khanacademy.org/embed_video?v={video_id}"
        return Presentation("iframe", src, host="www.khanacademy.org", provider="Khan Academy")
    if not segments or not all(KHAN_SLUG.match(s) for s in segments):
        return None
    kind = {"v": "video", "e": "exercise", "a": "article"}.get(segments[-2] if len(segments) > 1 else "", "")
    src = urlunsplit(("https", "www.khanacademy.org", "/" + "/".join(segments), "", ""))
    return Presentation("card", src, host="www.khanacademy.org", provider="Khan Academy", kind=kind)


def diksha_card(url: str) -> Presentation | None:
    """DIKSHA content (…/play/content/do_…, …/play/collection/do_…) and textbook QR codes (…/dial/CODE):
    DIKSHA pages refuse to be framed, so a card that opens the DIKSHA app on an Android phone (or the web
    page where the app is not installed)."""
    parts = _split(url)
    if parts is None or (parts.hostname or "") not in DIKSHA_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["resources"]:
        segments = segments[1:]
    if len(segments) == 3 and segments[0] == "play" and segments[1] in {"content", "collection"}:
        kind, key, ok = segments[1], segments[2], bool(DIKSHA_ID.match(segments[2]))
    elif len(segments) == 2 and segments[0] == "dial":
        kind, key, ok = "textbook QR", segments[1].upper(), bool(DIKSHA_DIAL.match(segments[1].upper()))
    else:
        return None
    if not ok:
        return None
    path = f"/dial/{key}" if kind == "textbook QR" else f"/play/{kind}/{key}"
    web = f"https://diksha.gov.in{path}"
    fallback = quote(web, safe="")
    app = f"intent://diksha.gov.in{path}#Intent;scheme=https;package={DIKSHA_APP};S.browser_fallback_url={fallback};end"
    return Presentation("card", web, host="diksha.gov.in", provider="DIKSHA", app=app, kind=kind)


def _split(url: str, *, strict: bool = True) -> SplitResult | None:
    """The parts of an absolute http(s) URL, else None; `strict` (for embeds) also refuses credentials and
    ports other than the default ones, which a link on the school LAN (http://10.0.0.5:8080/) may have."""
    text = (url or "").strip()
    if any(ord(c) < 0x21 or c in '"<>\\`' for c in text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    if strict and (parts.username is not None or parts.password is not None or port not in (None, 80, 443)):
        return None
    return parts


def _seconds(value: str) -> int:
    """'90', '90s', '1m30s', '1h2m3s' → seconds; anything else → 0."""
    match = DURATION.match(value.strip()) if value else None
    if not match or not any(match.groups()):
        return 0
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds
