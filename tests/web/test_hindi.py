"""Pages in Hindi: the catalog (every marked string, teachers' pages too), the language switch, and Hindi by
default for a Hindi course's students."""

from __future__ import annotations

import gettext
import html as html_lib
import itertools
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from flipmastery.accounts.models import User
from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Section
from flipmastery.demo.services import demo_load
from tests import factories
from tests.web.gettext_po import Entry, read_po
from tests.web.test_check_pages import full_bank, positions, save, started

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "hi" / "LC_MESSAGES"
PACKAGE = Path(settings.LOCALE_PATHS[0]).parent  # src/flipmastery
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?[a-z][^>]*>")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
YEAR = 365 * 24 * 60 * 60


def entries() -> list[Entry]:
    return [e for e in read_po(LC_MESSAGES / "django.po") if e.msgid]


def makemessages_options() -> dict[str, Any]:
    """The options of the makemessages command written at the top of the .po (one place to change)."""
    line = next(
        line
        for line in (LC_MESSAGES / "django.po").read_text(encoding="utf-8").splitlines()
        if line.startswith("#") and "flipmastery makemessages" in line
    )
    words = shlex.split(line.lstrip("# "))
    options: dict[str, Any] = {"locale": [], "extensions": [], "ignore_patterns": []}
    names = {"-l": "locale", "-e": "extensions", "-i": "ignore_patterns"}
    for flag, value in itertools.pairwise(words):
        if flag in names:
            options[names[flag]].append(value)
    options["no_obsolete"] = "--no-obsolete" in words
    return options


def visible_text(page: str) -> str:
    """The words a reader sees: tags (and so attribute values) removed, entities decoded, spaces joined."""
    return " ".join(html_lib.unescape(TAG.sub(" ", page)).split())


def english_sentences() -> list[tuple[str, re.Pattern[str]]]:
    """Every marked English text of two words or more, as a pattern its placeholders can fill."""
    found = []
    for entry in entries():
        for text in (entry.msgid, entry.msgid_plural):
            words = " ".join(TAG.sub(" ", text or "").split())
            if len(re.findall(r"[A-Za-z]+", PLACEHOLDER.sub("", words))) < 2:
                continue  # one word ("Answer", "min", "%(name)s on %(code)s."): likely a course's own words
            parts = PLACEHOLDER.split(words)  # literal, name, literal, name, …
            pattern = "".join(re.escape(part) if i % 2 == 0 else ".+?" for i, part in enumerate(parts))
            found.append((words, re.compile(pattern)))
    return found


def untranslated(page: str) -> list[str]:
    """The marked English texts still showing on a page that should be in Hindi."""
    shown = visible_text(page)
    return [words for words, pattern in english_sentences() if pattern.search(shown)]


def get(client: Client, path: str, **extra: Any) -> str:
    response = client.get(path, **extra)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture
def room(classroom: dict[str, Any]) -> dict[str, Any]:
    full_bank(classroom["a"], free_response=False)
    return classroom


@pytest.fixture
def hindi_room(room: dict[str, Any]) -> dict[str, Any]:
    """The same classroom, its course taught in Hindi (as the demo's Maths 7-B is)."""
    room["course"].language = "hi"
    room["course"].save()
    return room


def playlist_url(room: dict[str, Any]) -> str:
    return f"/sections/{room['section'].pk}/playlist/"


# --- the catalog --------------------------------------------------------------------------------------


def test_every_entry_of_the_catalog_has_its_hindi_with_the_same_placeholders() -> None:
    found = entries()
    assert len(found) > 100
    for entry in found:
        assert "fuzzy" not in entry.flags, entry.msgid
        wanted = 2 if entry.msgid_plural is not None else 1
        assert sorted(entry.msgstr) == list(range(wanted)), entry.msgid
        names = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        tags = sorted(TAG.findall(entry.msgid))
        for translated in entry.msgstr.values():
            assert translated.strip() and DEVANAGARI.search(translated), entry.msgid
            assert set(PLACEHOLDER.findall(translated)) == names, entry.msgid
            assert sorted(TAG.findall(translated)) == tags, entry.msgid


def test_the_header_says_hindi_with_its_plural_rule() -> None:
    header = next(e for e in read_po(LC_MESSAGES / "django.po") if not e.msgid).msgstr[0]
    assert "Language: hi\n" in header and "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header
    assert "charset=UTF-8" in header and "fuzzy" not in next(iter(read_po(LC_MESSAGES / "django.po"))).flags


def test_the_committed_mo_is_the_po_compiled() -> None:
    """Fails when someone edits the .po and forgets `flipmastery compilemessages -l hi` (or the reverse)."""
    expected: dict[Any, str] = {}
    for entry in read_po(LC_MESSAGES / "django.po"):
        if not entry.msgid:  # msgfmt leaves the POT-Creation-Date out of the header (reproducible builds)
            expected[""] = re.sub(r"POT-Creation-Date: [^\n]*\n", "", entry.msgstr[0])
        elif entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            expected.update({(entry.key, n): text for n, text in entry.msgstr.items()})
    with (LC_MESSAGES / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    assert dict(catalog) == expected


def test_every_marked_string_is_in_the_catalog_and_nothing_else(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails when a page or message gains a marked string without its Hindi (or the .po keeps an old one):
    run the two commands at the top of the .po."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext is not installed")
    # makemessages writes into any locale/ folder it finds, so it reads a copy of the sources.
    sources = tmp_path / "flipmastery"
    shutil.copytree(PACKAGE, sources, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    settings.LOCALE_PATHS = [tmp_path / "catalog"]
    monkeypatch.chdir(sources)
    options = makemessages_options()
    assert options["locale"] == ["hi"] and options["extensions"] == ["html,py"] and options["no_obsolete"]
    call_command("makemessages", **options, verbosity=0)
    marked = {e.key for e in read_po(tmp_path / "catalog" / "hi" / "LC_MESSAGES" / "django.po") if e.msgid}
    translated = {e.key for e in entries()}
    assert sorted(marked - translated) == []  # marked, with no Hindi yet
    assert sorted(translated - marked) == []  # in the catalog, marked nowhere any more


# --- Hindi pages --------------------------------------------------------------------------------------


def test_the_playlist_in_hindi_by_the_language_cookie(as_user: Any, room: dict[str, Any]) -> None:
    client = as_user(room["students"][0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"

    page = get(client, playlist_url(room))

    assert '<html lang="hi">' in page
    for hindi in (
        "<title>मेरी प्लेलिस्ट · Chem 11-A · flipmastery</title>",
        "सीधे मुख्य भाग पर जाएँ",
        '<nav aria-label="मुख्य मेनू" hx-boost="false">',
        ">मेरी कक्षाएँ</a>",
        "के रूप में लॉग इन",
        ">लॉग आउट</button>",
        "<h1>मेरी प्लेलिस्ट</h1>",
        "2 लक्ष्यों में से 0 में महारत हासिल",
        '<h2 id="next-step">अगला कदम</h2>',
        "<p>GAS-1 पर काम करें: “Video 1” से शुरू करें।</p>",
        '<span class="badge state-READY">तैयार</span>',
        '<span class="badge state-LOCKED">बंद</span>',
        '<span class="badge tier-essential">ज़रूरी</span>',
        '<span class="badge tier-nice_to_know">जानना अच्छा</span>',
        "पहले इनमें महारत पाएँ:",
        "महारत के लिए: 80 %",
        '<span class="small muted">वीडियो</span>',
        "इसे सीखने के दूसरे तरीके",
        "ज़रूरी गतिविधियाँ",
        "GAS-1 में महारत के लिए 80 % चाहिए",
        ">जाँच दें</button>",
        '<span id="language-h">भाषा:</span>',
    ):
        assert hindi in page, hindi
    assert untranslated(page) == []
    assert "Mastered 0 of 2 objectives" not in page and "Work on GAS-1" not in page


def test_the_check_page_and_its_autosave_in_hindi_by_accept_language(
    as_user: Any, room: dict[str, Any]
) -> None:
    client = as_user(room["students"][0])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "hi"
    attempt = started(client, room)

    page = get(client, f"/attempts/{attempt.pk}/")

    assert '<html lang="hi">' in page
    for hindi in (
        "<title>जाँच GAS-1 · flipmastery</title>",
        "<h1>मास्टरी जाँच: GAS-1</h1>",
        "<strong>GAS-1 में महारत के लिए 80 % चाहिए।</strong>",
        "हर उत्तर साथ-साथ सहेजा जाता है",
        "<legend>प्रश्न 1 (7 में से)</legend>",
        "<span>सत्य</span>",
        "<span>असत्य</span>",
        "हर सही उत्तर पर निशान लगाएँ।",
        '<option value="">चुनें…</option>',
        "इकाई के साथ संख्या, जैसे 12.5 kPa",
        ">आपका उत्तर</label>",
        '<span class="save-empty">अभी उत्तर नहीं दिया</span>',
        "यह उत्तर सहेजें",
        '<h2 id="submit-h">हो गया?</h2>',
        ">मेरी जाँच जमा करें</",  # a link or a button
        """hx-headers='{"Accept-Language": "hi"}'""",
    ):
        assert hindi in page, hindi
    assert untranslated(page) == []
    # The messages flipmastery-check.js shows come from the page, in its language.
    said = dict(re.findall(r'data-say-([a-z-]+)="([^"]*)"', page))
    assert set(said) == {
        "saving",
        "not-saved",
        "restoring",
        "reload",
        "gone",
        "offline",
        "flushing",
        "all-saved",
    }
    assert all(DEVANAGARI.search(words) for words in said.values()), said
    assert said["saving"] == "सहेजा जा रहा है…"
    assert "“मेरी जाँच जमा करें”" in html_lib.unescape(said["flushing"])  # names the button as it shows

    at = positions(attempt)
    saved = save(client, attempt, at["short_text"], {"answer": "Boyle"}).content.decode()
    assert "पर सहेजा गया</span>" in saved and "Saved" not in saved


def test_the_confirmation_and_the_result_in_hindi(as_user: Any, room: dict[str, Any]) -> None:
    client = as_user(room["students"][0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    attempt = started(client, room)
    save(client, attempt, positions(attempt)["short_text"], {"answer": "Boyle"})

    confirm = get(client, f"/attempts/{attempt.pk}/submit/")
    assert "7 प्रश्नों में से आपने 1 के उत्तर दिए।" in confirm
    assert "<h1>अपनी जाँच जमा करें?</h1>" in confirm and "हाँ, मेरी जाँच जमा करें" in confirm
    assert untranslated(confirm) == []

    client.post(f"/attempts/{attempt.pk}/submit/")
    result = get(client, f"/attempts/{attempt.pk}/")

    assert '<html lang="hi">' in result
    for hindi in (
        "<title>आपकी जाँच · flipmastery</title>",
        '<h2 id="result-h">परिणाम</h2>',
        '<span class="badge state-NOT_YET">अभी नहीं</span>',
        '<p class="score">अंक 14.3 % · चाहिए 80 %</p>',
        "<h2>अगला कदम</h2>",
        "अभी नहीं। इसे किसी और तरीके से सीखें, अपने शिक्षक से बात करें, फिर जाँच का नया रूप दें।",
        "GAS-1 सीखने के दूसरे तरीके",
        "<h2>आपके उत्तर</h2>",
        "✓ सही</span>",
        "– उत्तर नहीं दिया</span>",
        "को जमा की गई",
    ):
        assert hindi in result, hindi
    assert untranslated(result) == []
    assert Attempt.objects.get(pk=attempt.pk).state == "submitted"


def test_the_api_next_step_follows_accept_language(as_user: Any, room: dict[str, Any]) -> None:
    client = as_user(room["students"][0])
    url = f"/api/v1/sections/{room['section'].pk}/playlist"

    hindi = client.get(url, HTTP_ACCEPT_LANGUAGE="hi").json()
    english = client.get(url).json()

    assert hindi["next"]["message"] == "GAS-1 पर काम करें: “Video 1” से शुरू करें।"
    assert english["next"]["message"] == "Work on GAS-1: start with Video 1."


# --- the language switch ------------------------------------------------------------------------------


def csrf_of_switch(page: str) -> str:
    form = page.split('<form class="language"', 1)[1].split("</form>", 1)[0]
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert found is not None
    return found.group(1)


def test_the_switch_is_on_every_page_and_names_each_language_in_its_own_script(
    as_user: Any, room: dict[str, Any]
) -> None:
    anonymous = get(Client(), "/login/")
    missing = Client().get("/nothing-here/")
    student = as_user(room["students"][0])
    playlist = get(student, playlist_url(room))

    for page in (anonymous, missing.content.decode(), playlist):
        assert '<form class="language" method="post" action="/i18n/setlang/" hx-boost="false"' in page
        assert (
            '<button type="submit" name="language" value="en" lang="en" aria-current="true">English</button>'
            in page
        )
        assert '<button type="submit" name="language" value="hi" lang="hi">हिंदी</button>' in page
        assert "<script>" not in page and " onclick=" not in page and " onchange=" not in page
    assert f'<input type="hidden" name="next" value="{playlist_url(room)}">' in playlist
    assert missing.status_code == 404


def test_switching_to_hindi_through_http_sets_a_lasting_cookie(room: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(room["students"][0])
    page = get(client, playlist_url(room))

    refused = client.post("/i18n/setlang/", {"language": "hi", "next": playlist_url(room)})
    assert refused.status_code == 403 and settings.LANGUAGE_COOKIE_NAME not in client.cookies

    data = {"language": "hi", "next": playlist_url(room), "csrfmiddlewaretoken": csrf_of_switch(page)}
    response = client.post("/i18n/setlang/", data)

    assert response.status_code == 302 and response.headers["Location"] == playlist_url(room)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "hi" and int(cookie["max-age"]) == YEAR and cookie["samesite"] == "Lax"
    hindi = get(client, playlist_url(room))
    assert '<html lang="hi">' in hindi and "<h1>मेरी प्लेलिस्ट</h1>" in hindi
    assert '<button type="submit" name="language" value="hi" lang="hi" aria-current="true">' in hindi

    back = {"language": "en", "next": playlist_url(room), "csrfmiddlewaretoken": csrf_of_switch(hindi)}
    client.post("/i18n/setlang/", back)
    assert "<h1>My playlist</h1>" in get(client, playlist_url(room))


def test_after_a_post_the_switch_comes_back_home(as_user: Any, room: dict[str, Any]) -> None:
    """A page answering a POST (here: a check that cannot start) has no address to come back to."""
    response = as_user(room["students"][0]).post(f"/sections/{room['section'].pk}/objectives/GAS-2/check/")
    assert response.status_code == 409
    assert '<input type="hidden" name="next" value="/">' in response.content.decode()


# --- the default language -----------------------------------------------------------------------------


def test_english_is_the_default_for_an_english_course(as_user: Any, room: dict[str, Any]) -> None:
    page = get(as_user(room["students"][0]), playlist_url(room), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in page and "<h1>My playlist</h1>" in page
    assert not DEVANAGARI.search(visible_text(page).replace("हिंदी", ""))  # the switch names Hindi in Hindi
    shown = set(untranslated(page))  # the detector the Hindi tests rely on finds English where it is
    assert {
        "Mastered %(mastered)s of %(total)s objectives",
        "Work on %(code)s: start with %(title)s.",
    } <= shown
    assert {
        "Other ways to learn this",
        "Signed in as %(name)s",
        "You need %(threshold)s to master %(code)s",
    } <= shown


def test_a_student_of_a_hindi_course_sees_hindi_until_choosing(
    as_user: Any, hindi_room: dict[str, Any]
) -> None:
    client = as_user(hindi_room["students"][0])
    browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}  # a school computer's browser says English

    playlist = get(client, playlist_url(hindi_room), **browser)
    assert '<html lang="hi">' in playlist and "<h1>मेरी प्लेलिस्ट</h1>" in playlist
    assert "<h1>मेरी कक्षाएँ</h1>" in get(client, "/sections/", **browser)
    attempt = started(client, hindi_room)
    check = get(client, f"/attempts/{attempt.pk}/", **browser)
    assert "<h1>मास्टरी जाँच: GAS-1</h1>" in check and """hx-headers='{"Accept-Language": "hi"}'""" in check
    lo = get(client, f"/sections/{hindi_room['section'].pk}/learn/{hindi_room['alternate'].pk}/", **browser)
    assert '<html lang="hi">' in lo and "पाठ" in lo

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the student chose English
    chosen = get(client, playlist_url(hindi_room), **browser)
    assert '<html lang="en">' in chosen and "<h1>My playlist</h1>" in chosen


def test_the_teacher_of_a_hindi_course_keeps_english(as_user: Any, hindi_room: dict[str, Any]) -> None:
    student = hindi_room["students"][0]
    attempt = Attempt.objects.get(pk=started(as_user(student), hindi_room).pk)
    teacher = as_user(hindi_room["teacher"])

    outline = get(teacher, f"/sections/{hindi_room['section'].pk}/outline/")
    review = get(teacher, f"/attempts/{attempt.pk}/")

    assert '<html lang="en">' in outline and '<html lang="en">' in review
    assert "Course outline" in outline and "This check is still in progress." in review


def test_a_student_of_a_hindi_and_an_english_course_sees_each_in_its_language(
    as_user: Any, hindi_room: dict[str, Any]
) -> None:
    student = hindi_room["students"][0]
    english_course = factories.course(title="Science")
    factories.objective(factories.unit(english_course))
    english = factories.section(english_course, students=[student], name="Science 7-B")
    client = as_user(student)

    assert '<html lang="hi">' in get(client, playlist_url(hindi_room))
    assert '<html lang="en">' in get(client, f"/sections/{english.pk}/playlist/")
    sections = get(client, "/sections/")
    assert '<html lang="en">' in sections  # no one language for both
    # Links that may change the language load a whole page: a boosted swap would keep the old <html lang>.
    assert '<ul class="cards" hx-boost="false">' in sections
    assert '<nav aria-label="Main" hx-boost="false">' in sections


def test_the_demo_maths_students_see_hindi_and_the_chemistry_students_english(
    client: Client, db: None
) -> None:
    demo_load()
    maths = Section.objects.get(name="Maths 7-B")
    chemistry = Section.objects.get(name="Chemistry 11-A")
    client.force_login(User.objects.get(username="math01"))
    hindi = get(client, f"/sections/{maths.pk}/playlist/")
    client.force_login(User.objects.get(username="chem01"))
    english = get(client, f"/sections/{chemistry.pk}/playlist/")

    assert '<html lang="hi">' in hindi and "<h1>मेरी प्लेलिस्ट</h1>" in hindi and untranslated(hindi) == []
    assert '<html lang="en">' in english and "<h1>My playlist</h1>" in english


# --- teachers' pages ----------------------------------------------------------------------------------


def hindi_teacher(client: Client, room: dict[str, Any]) -> Client:
    """The room's teacher, who picked हिंदी in the footer (the language cookie), with one student waiting."""
    client.force_login(room["students"][0])
    asked = client.post(f"/sections/{room['section'].pk}/requests/", {"kind": "help", "objective": "GAS-1"})
    assert asked.status_code == 302
    client.force_login(room["teacher"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    return client


def test_a_teacher_who_picks_hindi_sees_the_grid_queue_and_bank_in_hindi(
    client: Client, room: dict[str, Any]
) -> None:
    teacher = hindi_teacher(client, room)
    section = room["section"].pk

    grid = get(teacher, f"/sections/{section}/grid/")
    queue = get(teacher, f"/sections/{section}/queue/")
    bank = get(teacher, f"/teach/objectives/{room['a'].pk}/bank/")

    for page in (grid, queue, bank):
        assert '<html lang="hi">' in page
        assert untranslated(page) == []
    for hindi in ("कक्षा ग्रिड", "विद्यार्थी", "कतार", "गति से पीछे (सबसे पीछे वाले पहले)"):
        assert hindi in grid, hindi
    for hindi in ("1 अनुरोध प्रतीक्षा में", "मदद", "एक मिनट से कम से प्रतीक्षा में", "समझता है (पास)"):
        assert hindi in queue, hindi
    for hindi in ("GAS-1 का प्रश्न-बैंक", "प्रश्न जोड़ें", "फ़ाइल आयात करें", "संस्करण"):
        assert hindi in bank, hindi
    assert "Class grid" not in visible_text(grid) and "Add a question" not in visible_text(bank)


@pytest.mark.parametrize(
    ("path", "hindi"),
    [
        ("/sections/", "<h1>मेरी कक्षाएँ</h1>"),
        ("/sections/{section}/roster/", "<h1>Chem 11-A की विद्यार्थी सूची</h1>"),
        ("/sections/{section}/settings/", "<h1>Chem 11-A की सेटिंग</h1>"),
        ("/sections/{section}/outline/", "पाठ्यक्रम की रूपरेखा"),
        ("/sections/{section}/pacing/", "गति"),
        ("/sections/{section}/gradebook/", "ग्रेडबुक"),
        ("/sections/{section}/items/", "प्रश्न विश्लेषण"),
        ("/sections/{section}/groups/", "समूह"),
        ("/sections/{section}/paper/", "कागज़ पर जाँच"),
        ("/sections/{section}/cards/", "लॉग-इन कार्ड"),
    ],
)
def test_every_teacher_page_of_a_section_speaks_hindi(
    client: Client, room: dict[str, Any], path: str, hindi: str
) -> None:
    teacher = hindi_teacher(client, room)

    page = get(teacher, path.format(section=room["section"].pk))

    assert '<html lang="hi">' in page and hindi in page
    assert untranslated(page) == []


def test_a_teachers_refusal_and_notice_in_hindi(client: Client, room: dict[str, Any]) -> None:
    teacher = hindi_teacher(client, room)
    section = room["section"].pk

    refused = teacher.post(f"/sections/{section}/teachers/", {"username": "nobody_here"})
    assert refused.status_code == 422
    assert "nobody_here' यूज़रनेम वाला कोई शिक्षक नहीं है" in html_lib.unescape(refused.content.decode())
    assert list(room["section"].teachers.all()) == [room["teacher"]]

    teacher.post(f"/sections/{section}/teachers/", {"username": room["other_teacher"].username})
    settings_page = get(teacher, f"/sections/{section}/settings/")
    assert "mr_other अब आपके साथ Chem 11-A पढ़ाते हैं।" in settings_page
    assert untranslated(settings_page) == []


def test_marked_strings_are_where_xgettext_reads_them() -> None:
    """xgettext reads calls of _, gettext, gettext_lazy … by those names, outside f-strings: a word marked
    through an alias (L = gettext_lazy) or inside an f-string never reaches the catalog, and a Hindi page
    shows it in English."""
    alias = re.compile(r"^\s*\w+\s*=\s*(gettext|gettext_lazy|ngettext|ngettext_lazy|pgettext|_)\s*$", re.M)
    in_f_string = re.compile(r"""\bf(["'])(?:(?!\1)[^\n])*?\{[^}\n]*\b(_|gettext|gettext_lazy|pgettext)\(""")
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m.group(0).strip()}" for m in alias.finditer(text)]
        found += [f"{path.name}: {m.group(0)}" for m in in_f_string.finditer(text)]
    assert found == []
