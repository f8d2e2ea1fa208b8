"""axe-core on every page of every role, in English and in Hindi, and on forms showing their errors.

Roles: nobody signed in (sign-in, joining, a guardian), a student, a teacher, a school admin. One
classroom (the demo's, plus a student with a check open, one not yet passed, one passed, a unit test and
a pre-test) serves the whole module, and one signed-in browser context per role, language and width
visits the pages: a page that fails names itself in the test id. A student's pages and the wide tables
are also checked on a 360 px phone in Hindi. `test_no_page_is_forgotten` reads the URL patterns, so a new
page must be added here (or to NOT_PAGES with why) before the suite passes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from flipmastery.accounts.models import Role
from flipmastery.assessments.models import AttemptItem
from flipmastery.assessments.paper import paper_copies_make
from flipmastery.assessments.services import attempt_start, attempt_submit, pretest_start, unit_test_start
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.courses.models import LearningObject, Objective
from flipmastery.demo.services import demo_load
from flipmastery.domain.paper import shown_code
from flipmastery.exitslips.services import Picked, slip_start
from flipmastery.guardians.services import guardian_link_create
from flipmastery.notes.services import notes_template_save
from flipmastery.progress.models import QueueEntry
from flipmastery.questions.models import Question
from flipmastery.sharing.services import share_link_get_or_create
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import Visit

# What a page says to a screen reader does not depend on the database under it: CI runs these on SQLite
# (the default) and not again on PostgreSQL, where the HTTP and browser tests already cover every page's data.
ON_POSTGRESQL = os.environ.get("FLIPMASTERY_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(ON_POSTGRESQL, reason="accessibility is checked once, on the default database"),
]

LANGUAGES = ("en", "hi")
LOGINS = {"student": "axe_kid", "teacher": "teacher", "admin": "axe_admin"}
PASSWORDS = {"teacher": "teacher"}  # the demo's; the others are made by the factories


@dataclass(frozen=True)
class Room:
    chem: int
    maths: int
    gas1: int
    gas2: int
    question: int
    kid: int
    open_check: int
    not_yet: int
    passed: int
    unit_test: int
    pretest: int
    lesson: int
    batch: int
    paper_code: str
    guardian_secret: str
    maths_lesson: int = 0
    chem_course: int = 0
    slip: int = 0
    share: str = ""


def _answered(attempt_id: int, kid: Any, share: float) -> None:
    positions = AttemptItem.objects.filter(attempt_id=attempt_id).values_list("position", flat=True)
    attempt_submit(
        attempt_id=attempt_id, student=kid, now=timezone.now(), marks=dict.fromkeys(positions, share)
    )


def _build() -> Room:
    demo_load()
    chem = Section.objects.get(name="Chemistry 11-A")
    maths = Section.objects.get(name="Maths 7-B")
    teacher = chem.teachers.get()
    kid = factories.student(username="axe_kid", first_name="Kiran", last_name="Das")
    Enrollment.objects.create(section=chem, student=kid)
    Enrollment.objects.create(section=maths, student=kid)
    factories.user(Role.ADMIN, username="axe_admin")
    gas = {o.code: o for o in Objective.objects.filter(course=chem.course)}
    now = timezone.now()
    passed = attempt_start(section=chem, student=kid, objective=gas["GAS-1"], now=now).attempt
    _answered(passed.pk, kid, 1.0)
    not_yet = attempt_start(section=chem, student=kid, objective=gas["GAS-2"], now=now).attempt
    _answered(not_yet.pk, kid, 0.0)
    factories.mastered(chem, kid, gas["GAS-2"], at=now.isoformat())
    # A unit test taken and handed in (an open one would keep the next check from starting).
    unit_test = unit_test_start(section=chem, student=kid, unit=gas["GAS-1"].unit, now=now).attempt
    _answered(unit_test.pk, kid, 0.5)
    factories.mastered(chem, kid, gas["GAS-3"], at=now.isoformat())
    open_check = attempt_start(section=chem, student=kid, objective=gas["GAS-4"], now=now).attempt
    # A pre-test checks what a unit builds on from the units before it: a small course of two units.
    physics = factories.course(code="PHY", title="Physics")
    basics = factories.objective(factories.unit(physics, code="MOT"), code="MOT-1", order=1)
    forces = factories.unit(physics, code="FOR")
    factories.objective(forces, code="FOR-1", order=2, prerequisites=[basics])
    factories.bank(basics, 6)
    factories.section(physics, teachers=[teacher], students=[kid], name="Physics 11-A")
    pretest = pretest_start(
        section=Section.objects.get(name="Physics 11-A"), student=kid, unit=forces, now=now
    ).attempt
    on_paper = factories.student(username="axe_paper")
    Enrollment.objects.create(section=chem, student=on_paper)
    printed = paper_copies_make(
        section=chem, objective=gas["GAS-1"], students=[on_paper], teacher=teacher, now=now
    )
    copy = printed.copies[0]
    lesson = LearningObject.objects.filter(objective=gas["GAS-1"]).order_by("order").first()
    assert lesson is not None
    lesson.answers = "1. **101.3 kPa**\n2. $P = F/A$"
    lesson.save()
    maths_lesson = LearningObject.objects.filter(objective__course=maths.course).order_by("pk").first()
    assert maths_lesson is not None
    maths_lesson.answers = "1. 3/5"
    maths_lesson.save()
    Section.objects.filter(pk=maths.pk).update(worksheet_answers=Section.WorksheetAnswers.TEACHER)
    slip = slip_start(
        section=chem,
        objective=gas["GAS-1"],
        picked=[Picked(q.pk) for q in Question.objects.filter(objective=gas["GAS-1"]).order_by("pk")[:2]],
        typed=[],
        actor=teacher,
        now=now,
        seed=1,
    )
    link = guardian_link_create(student=kid, by=teacher, label="Mum", language="en", now=now)
    notes_template_save(learning_object=lesson, raw=NOTES, images={}, now=now)
    share = share_link_get_or_create(actor=teacher, section=chem, objective=gas["GAS-1"])
    assert QueueEntry.objects.filter(section=chem, resolved_at=None).exists(), "the queue should have entries"
    return Room(
        chem=chem.pk,
        maths=maths.pk,
        gas1=gas["GAS-1"].pk,
        gas2=gas["GAS-2"].pk,
        question=Question.objects.filter(objective=gas["GAS-1"]).order_by("pk").first().pk,  # type: ignore[union-attr]
        kid=kid.pk,
        open_check=open_check.pk,
        not_yet=not_yet.pk,
        passed=passed.pk,
        unit_test=unit_test.pk,
        pretest=pretest.pk,
        lesson=lesson.pk,
        batch=printed.batch.pk,
        paper_code=shown_code(copy.paper_code),
        guardian_secret=link.secret,
        maths_lesson=maths_lesson.pk,
        slip=slip.pk,
        share=share.code,
        chem_course=chem.course_id,
    )


@pytest.fixture(scope="module")
def room(django_db_setup: None, django_db_blocker: Any) -> Iterator[Room]:
    """The module's classroom; the database is emptied after the module as after a transactional test."""
    with django_db_blocker.unblock():
        made = _build()
        yield made
        call_command("flush", verbosity=0, interactive=False)


@pytest.fixture(autouse=True)
def _live_server_helper(live_server: Any, django_db_blocker: Any) -> Iterator[None]:
    """Replaces pytest-django's, which makes every test using the live server a transactional one (the
    database is emptied after each): here the pages of one module-wide classroom are visited, and `room`
    empties the database once, at the end. The server's thread may use the database meanwhile."""
    live_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture(scope="module")
def tabs(
    browser: Any, live_server: Any, room: Room, django_db_blocker: Any
) -> Iterator[Callable[..., Visit]]:
    """`tabs(role, language, width=1280)` → one tab per role, language and width, signed in, the language
    chosen with the footer's switch (a cookie: every later page speaks it)."""
    opened: dict[tuple[str, str, int], Visit] = {}
    contexts: list[Any] = []

    def tab(role: str, language: str, width: int = 1280) -> Visit:
        key = (role, language, width)
        if key not in opened:
            viewport = {"width": width, "height": 800 if width > 600 else 740}
            context = browser.new_context(viewport=viewport, locale="en-US", bypass_csp=True)
            context.set_default_timeout(10_000)
            contexts.append(context)
            visit = Visit(context, live_server.url)
            with django_db_blocker.unblock():
                if role == "anonymous":
                    visit.go("/login/")
                else:
                    visit.log_in(LOGINS[role], PASSWORDS.get(role, factories.PASSWORD))
                with visit.page.expect_navigation():
                    visit.page.click(f"footer form.language button[value={language}]")
            assert visit.page.locator("html").get_attribute("lang") == language
            opened[key] = visit
        return opened[key]

    yield tab
    for context in contexts:
        context.close()


def _no_validation(page: Any) -> None:
    """Let an empty or wrong form reach the server, whose answer (the errors in place) is what is tested."""
    page.evaluate("document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })")


def _refused(page: Any) -> None:
    """Wait for the refusal, in a new page or put in place: said in a role=alert, or by the field."""
    page.locator("[role=alert], [aria-invalid=true]").first.wait_for()


def _submit(selector: str, fill: dict[str, str] | None = None) -> Callable[[Any, Room], None]:
    def then(page: Any, room: Room) -> None:
        _no_validation(page)
        for field, value in (fill or {}).items():
            page.fill(field, value)
        page.click(selector)
        _refused(page)

    return then


def _queue_error(page: Any, room: Room) -> None:
    page.select_option("#any-override-state", index=1)
    page.fill("#any-override-reason", " ")
    _no_validation(page)
    page.click("#any-override-go")
    _refused(page)


def _cell_error(page: Any, room: Room) -> None:
    page.click("details.cell-override summary")
    page.fill("#cell-reason", " ")
    _no_validation(page)
    page.click("#cell-override")
    _refused(page)


def _password_card(page: Any, room: Room) -> None:
    page.locator("details.student-actions summary").first.click()
    with page.expect_navigation():
        page.locator("details.student-actions[open] button[id^=reset-]").click()


def _cell_dialog(page: Any, room: Room) -> None:
    page.locator("#grid-body a.cell").first.click()
    page.locator("#cell-dialog[open] .cell-panel").wait_for()


def _signoff_error(page: Any, room: Room) -> None:
    page.select_option("#signoff-activity", index=1)
    with page.expect_navigation():
        page.click("form.filter button[type=submit]")
    page.evaluate("document.querySelectorAll('input[type=checkbox]').forEach((c) => { c.checked = false; })")
    _no_validation(page)
    page.click("#signoff-ticked")
    _refused(page)


@dataclass(frozen=True)
class Page:
    role: str  # anonymous, student, teacher or admin (a school admin)
    names: tuple[str, ...]  # the URL names this visit covers
    path: Callable[[Room], str]
    then: Callable[[Any, Room], None] | None = None  # what to do on it first (send a form with errors)
    asks_language: bool = False  # a guardian's page speaks its link's language unless ?lang= says otherwise


NOTES = [
    {"kind": "prompt", "question": "What is pressure?"},
    {"kind": "table", "question": "Units", "columns": ["Unit", "Symbol"], "rows": 2},
]

PAGES: dict[str, Page] = {
    "share-card": Page("anonymous", ("share_open",), lambda r: f"/s/{r.share}/"),
    "share-page": Page("teacher", ("share_page",), lambda r: f"/s/{r.share}/share/"),
    "notes-blank": Page(
        "teacher", ("notes_blank",), lambda r: f"/sections/{r.chem}/learn/{r.lesson}/notes-print/"
    ),
    "notes-student": Page(
        "teacher",
        ("notes_student",),
        lambda r: f"/sections/{r.chem}/students/{r.kid}/objectives/{r.gas1}/notes/",
    ),
    # Anyone
    "sign-in": Page("anonymous", ("login",), lambda r: "/login/"),
    "sign-in-error": Page(
        "anonymous",
        ("login",),
        lambda r: "/login/",
        _submit("button[type=submit]", {"#id_username": "axe_kid", "#id_password": "wrong"}),
    ),
    "card-sign-in": Page("anonymous", ("card_sign_in",), lambda r: "/c/"),
    "card-sign-in-error": Page("anonymous", ("card_link",), lambda r: "/c/NOTACARD/"),
    "join": Page("anonymous", ("join",), lambda r: "/join/"),
    "join-section": Page("anonymous", ("join_code",), lambda r: "/join/CHEM11/"),
    "join-section-error": Page(
        "anonymous", ("join_code",), lambda r: "/join/CHEM11/", _submit("#sign-up-go")
    ),
    "guardian-code": Page("anonymous", ("guardian_code",), lambda r: "/g/"),
    "guardian-code-error": Page(
        "anonymous", ("guardian_code",), lambda r: "/g/?code=AAAAA-BBBBB", asks_language=True
    ),
    "guardian-gone": Page("anonymous", ("guardian_page",), lambda r: "/g/no-such-link/", asks_language=True),
    "not-found": Page("anonymous", ("home",), lambda r: "/no/such/page/"),
    "guardian-page": Page(
        "anonymous", ("guardian_page",), lambda r: f"/g/{r.guardian_secret}/", asks_language=True
    ),
    # A student
    "student-sections": Page("student", ("sections", "home"), lambda r: "/sections/"),
    "playlist": Page("student", ("playlist",), lambda r: f"/sections/{r.chem}/playlist/"),
    "learning-object": Page(
        "student", ("learning_object",), lambda r: f"/sections/{r.chem}/learn/{r.lesson}/"
    ),
    "course-map": Page("student", ("course_map",), lambda r: f"/sections/{r.chem}/map/"),
    "student-outline": Page("student", ("course_outline",), lambda r: f"/sections/{r.chem}/outline/"),
    "check-in-progress": Page("student", ("attempt", "check_start"), lambda r: f"/attempts/{r.open_check}/"),
    "check-confirm": Page("student", ("attempt_submit",), lambda r: f"/attempts/{r.open_check}/submit/"),
    "check-result-not-yet": Page("student", ("attempt",), lambda r: f"/attempts/{r.not_yet}/"),
    "check-result-passed": Page("student", ("attempt",), lambda r: f"/attempts/{r.passed}/"),
    "my-checks": Page("student", ("my_checks",), lambda r: f"/sections/{r.chem}/my-checks/"),
    "unit-test": Page("student", ("unit_test_start",), lambda r: f"/attempts/{r.unit_test}/"),
    "pretest": Page("student", ("pretest_start",), lambda r: f"/attempts/{r.pretest}/"),
    "my-guardian-links": Page("student", ("my_guardian_links",), lambda r: "/me/guardian-links/"),
    "teacher-learning-object": Page(
        "teacher", ("learning_object",), lambda r: f"/sections/{r.maths}/learn/{r.maths_lesson}/"
    ),
    "my-exit-slip": Page("student", ("my_exit_slip",), lambda r: f"/sections/{r.chem}/exit-slip/"),
    "student-not-found": Page("student", ("playlist",), lambda r: "/sections/999999/playlist/"),
    "student-join-section": Page("student", ("join_code",), lambda r: "/join/CHEM11/"),
    "student-join": Page("student", ("join",), lambda r: "/join/"),
    # A teacher
    "teacher-sections": Page("teacher", ("sections",), lambda r: "/sections/"),
    "section-new": Page("teacher", ("section_new",), lambda r: "/sections/new/"),
    "section-new-error": Page("teacher", ("section_new",), lambda r: "/sections/new/", _submit("#open")),
    "section-settings": Page("teacher", ("section_settings",), lambda r: f"/sections/{r.chem}/settings/"),
    "outline": Page("teacher", ("course_outline",), lambda r: f"/sections/{r.chem}/outline/"),
    "roster": Page("teacher", ("roster",), lambda r: f"/sections/{r.chem}/roster/"),
    "grid": Page("teacher", ("cockpit_grid",), lambda r: f"/sections/{r.chem}/grid/"),
    "grid-projector": Page("teacher", ("cockpit_grid",), lambda r: f"/sections/{r.chem}/grid/?projector=1"),
    "pacing": Page("teacher", ("cockpit_pacing",), lambda r: f"/sections/{r.chem}/pacing/"),
    "gradebook": Page("teacher", ("cockpit_gradebook",), lambda r: f"/sections/{r.chem}/gradebook/"),
    "items": Page("teacher", ("cockpit_items",), lambda r: f"/sections/{r.chem}/items/"),
    "groups": Page("teacher", ("cockpit_groups",), lambda r: f"/sections/{r.chem}/groups/"),
    "history": Page(
        "teacher", ("cockpit_history",), lambda r: f"/sections/{r.chem}/students/{r.kid}/history/"
    ),
    "queue": Page("teacher", ("queue",), lambda r: f"/sections/{r.chem}/queue/"),
    "queue-error": Page("teacher", ("queue_record",), lambda r: f"/sections/{r.chem}/queue/", _queue_error),
    "password-card": Page(
        "teacher", ("student_password_reset",), lambda r: f"/sections/{r.chem}/roster/", _password_card
    ),
    "grid-cell-dialog": Page(
        "teacher", ("cockpit_cell",), lambda r: f"/sections/{r.chem}/grid/", _cell_dialog
    ),
    "exit-slips": Page("teacher", ("exit_slips",), lambda r: f"/sections/{r.chem}/exit-slips/"),
    "exit-slip": Page("teacher", ("exit_slip",), lambda r: f"/sections/{r.chem}/exit-slips/{r.slip}/"),
    "exit-slip-sheet": Page(
        "teacher", ("exit_slip_sheet",), lambda r: f"/sections/{r.chem}/exit-slips/{r.slip}/sheet/"
    ),
    "exit-slip-paper": Page(
        "teacher", ("exit_slip_paper",), lambda r: f"/sections/{r.chem}/exit-slips/{r.slip}/paper/"
    ),
    "notes-editor": Page(
        "teacher", ("notes_editor",), lambda r: f"/teach/studio/{r.chem_course}/learn/{r.lesson}/notes/"
    ),
    "grid-cell": Page(
        "teacher", ("cockpit_cell",), lambda r: f"/sections/{r.chem}/grid/cell/{r.kid}/{r.gas2}/"
    ),
    "grid-cell-error": Page(
        "teacher",
        ("cockpit_cell_record",),
        lambda r: f"/sections/{r.chem}/grid/cell/{r.kid}/{r.gas2}/",
        _cell_error,
    ),
    "signoff": Page("teacher", ("cockpit_signoff",), lambda r: f"/sections/{r.chem}/grid/signoff/"),
    "signoff-error": Page(
        "teacher", ("cockpit_signoff",), lambda r: f"/sections/{r.chem}/grid/signoff/", _signoff_error
    ),
    "hindi-section-grid": Page("teacher", ("cockpit_grid",), lambda r: f"/sections/{r.maths}/grid/"),
    "bank": Page("teacher", ("bank",), lambda r: f"/teach/objectives/{r.gas1}/bank/"),
    "question-new": Page(
        "teacher", ("bank_question_new",), lambda r: f"/teach/objectives/{r.gas1}/bank/new/"
    ),
    "question-new-error": Page(
        "teacher",
        ("bank_question_new",),
        lambda r: f"/teach/objectives/{r.gas1}/bank/new/",
        _submit(".qform button[value=save]:not(.vh)"),
    ),
    "question-editor": Page(
        "teacher", ("bank_question_edit",), lambda r: f"/teach/questions/{r.question}/edit/"
    ),
    "question-new-yaml-error": Page(
        "teacher",
        ("bank_question_new",),
        lambda r: f"/teach/objectives/{r.gas1}/bank/new/?view=yaml",
        _submit(".editor-form button[type=submit]:not([name])", {"#id_text": "type: nonsense"}),
    ),
    "question-editor-yaml": Page(
        "teacher", ("bank_question_edit",), lambda r: f"/teach/questions/{r.question}/edit/?view=yaml"
    ),
    "question-versions": Page(
        "teacher", ("bank_question_versions",), lambda r: f"/teach/questions/{r.question}/versions/"
    ),
    "bank-import": Page("teacher", ("bank_import",), lambda r: f"/teach/objectives/{r.gas1}/bank/import/"),
    "bank-import-error": Page(
        "teacher",
        ("bank_import",),
        lambda r: f"/teach/objectives/{r.gas1}/bank/import/",
        _submit(".import-form button[type=submit]"),
    ),
    "bank-preview": Page("teacher", ("bank_preview",), lambda r: f"/teach/objectives/{r.gas1}/bank/preview/"),
    "paper": Page("teacher", ("paper_home",), lambda r: f"/sections/{r.chem}/paper/"),
    "paper-sheets": Page("teacher", ("paper_sheets", "paper_make"), lambda r: f"/paper/batches/{r.batch}/"),
    "paper-keys": Page("teacher", ("paper_keys",), lambda r: f"/paper/batches/{r.batch}/keys/"),
    "paper-find-error": Page("teacher", ("paper_find",), lambda r: "/paper/?code=NOPE"),
    "paper-enter": Page("teacher", ("paper_enter",), lambda r: f"/paper/{r.paper_code}/"),
    "cards": Page("teacher", ("cards_home",), lambda r: f"/sections/{r.chem}/cards/"),
    "cards-printed": Page(
        "teacher", ("cards_print",), lambda r: f"/sections/{r.chem}/cards/", _submit("#print-all")
    ),
    "student-guardian-links": Page(
        "teacher",
        ("student_guardian_links",),
        lambda r: f"/sections/{r.chem}/students/{r.kid}/guardian-links/",
    ),
    "studio": Page("teacher", ("studio",), lambda r: "/teach/studio/"),
    "studio-error": Page("teacher", ("studio",), lambda r: "/teach/studio/", _submit("#make-course")),
    "studio-course": Page("teacher", ("studio_course",), lambda r: f"/teach/studio/{r.chem_course}/"),
    "studio-course-error": Page(
        "teacher", ("studio_unit_new",), lambda r: f"/teach/studio/{r.chem_course}/", _submit("#add-unit")
    ),
    "studio-objective": Page(
        "teacher", ("studio_objective",), lambda r: f"/teach/studio/{r.chem_course}/objectives/{r.gas2}/"
    ),
    "studio-objective-new-error": Page(
        "teacher",
        ("studio_objective_new",),
        lambda r: f"/teach/studio/{r.chem_course}/objectives/new/",
        _submit("#save-objective"),
    ),
    # A school admin
    "school-people": Page("admin", ("school_people",), lambda r: "/school/people/"),
    "school-people-error": Page(
        "admin", ("school_people",), lambda r: "/school/people/", _submit("#add-person-button")
    ),
    "school-courses": Page("admin", ("school_courses",), lambda r: "/school/courses/"),
    "school-sections": Page("admin", ("school_sections",), lambda r: "/school/sections/"),
    "school-lms": Page("admin", ("lti_platforms",), lambda r: "/school/lms/"),
    "school-lms-new": Page("admin", ("lti_platform_new", "lti_platform_edit"), lambda r: "/school/lms/new/"),
    "school-lms-new-error": Page(
        "admin", ("lti_platform_new",), lambda r: "/school/lms/new/", _submit("#save-platform")
    ),
    "school-lms-register": Page("admin", ("lti_dynamic_registration",), lambda r: "/lti/register/"),
    "school-oneroster": Page("admin", ("school_oneroster",), lambda r: "/school/oneroster/"),
    "school-oneroster-error": Page(
        "admin", ("school_oneroster",), lambda r: "/school/oneroster/", _submit("#preview-button")
    ),
    "section-lms": Page("teacher", ("lti_section",), lambda r: f"/sections/{r.chem}/lms/"),
    "lms-waiting": Page("anonymous", ("lti_waiting",), lambda r: "/lti/waiting/"),
}

# URL names that are no page of their own: what they answer is covered above, or is no HTML page.
NOT_PAGES = {
    "lti_login": "the LMS's login start: a redirect back to the LMS, or the refusal page (tests/lti)",
    "lti_launch": "a POST from the LMS with its signed token: the playlist or the grid (tests/lti)",
    "lti_jwks": "JSON: our public keys",
    "lti_pick_section": "reached only inside a teacher's LMS launch, which tests/lti's platform makes",
    "lti_deep_link": "reached only inside a deep-linking launch, which tests/lti's platform makes",
    "lti_dynamic_register": "the LMS's registration window, with a one-time URL (tests/lti)",
    "lti_platform_remove": "a POST from the LMS page",
    "lti_key_rotate": "a POST from the LMS page",
    "lti_key_remove": "a POST from the LMS page",
    "lti_resend": "a POST from the section's LMS page",
    "lti_roster_sync": "a POST from the section's LMS page",
    "school_oneroster_confirm": "a POST from the OneRoster preview, answered with the import's report",
    "school_oneroster_results": "a zip download",
    "share_create": "a POST from the course outline, answered with the share page",
    "share_image": "a PNG: a short link's picture for chat previews",
    "logout": "a POST that leads to the sign-in page",
    "media": "uploaded files",
    "student_unlock": "a POST from the roster, answered on the roster",
    "section_teacher_add": "a POST from the section's settings",
    "section_teacher_remove": "a POST from the section's settings",
    "section_archive": "a POST from the section's settings",
    "section_unarchive": "a POST from the section's settings",
    "join_request_decide": "a POST from the roster",
    "attempt_item": "an autosave answered with a fragment of the check page",
    "bank_question_preview": "the editor's live preview, a fragment of the editor",
    "bank_export": "a file download",
    "bank_question_retire": "a POST from the bank",
    "learning_object_used": "a POST from the playlist",
    "loop_ask": "a POST from the playlist",
    "queue_rows": "the queue's poll, a fragment of the queue page",
    "roster_load": "a POST from the roster, answered on the roster",
    "cockpit_grid_rows": "the grid's poll, a fragment of the grid page",
    "cockpit_plan": "a POST from the grid",
    "cockpit_group_decide": "a POST from the groups page",
    "cockpit_group_members": "a POST from the groups page",
    "cockpit_group_done": "a POST from the groups page",
    "card_revoke": "a POST from the cards page",
    "school_person_active": "a POST from the people page",
    "school_course_teacher": "a POST from the courses page",
    "school_course_teacher_remove": "a POST from the courses page",
    "school_section_teacher": "a POST from the sections page",
    "school_section_teacher_remove": "a POST from the sections page",
    "my_guardian_link_revoke": "a POST from the student's links page",
    "student_guardian_link_revoke": "a POST from the family links page",
    "answers_setting": "a POST from the section's settings",
    "answers_allow": "a POST from a learning object's page as its teacher sees it",
    "exit_slip_close": "a POST from the exit slip's page",
    "my_exit_slip_answer": "a student's autosaved answer, a fragment of the student's exit slip page",
    "learning_object_watched": "the video player's report of what was played, no page",
    "notes_part_save": "a student's autosaved notes, a fragment of the learning object's page",
    "notes_image": "an image of a notes template",
    "studio_export": "a file download (the course as a .zip package)",
    "studio_file": "uploaded files, for the studio's preview",
    "studio_unit_edit": "a POST from the studio's course page, answered on it",
    "studio_unit_move": "a POST from the studio's course page",
    "studio_objective_move": "a POST from the studio's course page",
    "studio_objective_restore": "a POST from the studio's course page",
    "studio_objective_retire": "a POST from the studio's objective page, answered on it",
    "studio_part_new": "a POST from the studio's objective page, answered on it",
    "studio_part_edit": "a POST from the studio's objective page, answered on it",
    "studio_part_move": "a POST from the studio's objective page",
    "studio_part_retire": "a POST from the studio's objective page",
}


# Pages whose data this module does not build yet: each is named in the report of the change that left it.
NOT_YET: dict[str, str] = {}

# Pages still being built elsewhere whose violations are known: strict, so a fix shows up as XPASS.
KNOWN: dict[str, str] = {}  # page name → what is wrong and in which template


def _ours(module: str) -> bool:
    """A view of the site's pages: not the admin's (Django's), not the API's."""
    return module.startswith("flipmastery.") and not module.startswith(
        ("flipmastery.api", "flipmastery.admin")
    )


def _web_url_names() -> set[str]:
    """Every named URL served by the site's pages (flipmastery.web, flipmastery.notes, …)."""

    def walk(patterns: list[Any]) -> Iterator[URLPattern]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            else:
                yield p

    return {
        p.name
        for p in walk(get_resolver().url_patterns)
        if p.name and _ours(getattr(p.callback, "__module__", ""))
    }


def test_no_page_is_forgotten() -> None:
    covered = {name for page in PAGES.values() for name in page.names}
    forgotten = _web_url_names() - covered - set(NOT_PAGES) - set(NOT_YET)
    assert not forgotten, f"add these pages to PAGES (or to NOT_PAGES, saying why): {sorted(forgotten)}"


def _check(name: str, language: str, room: Room, tab: Visit) -> None:
    spec = PAGES[name]
    path = spec.path(room)
    if spec.asks_language:
        path += ("&" if "?" in path else "?") + f"lang={language}"
    page = tab.go(path)
    if spec.then is not None:
        spec.then(page, room)
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, f"{name} ({language}) {page.url}")


def _params(names: list[str]) -> list[Any]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN[n], strict=True)) if n in KNOWN else n
        for n in names
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", _params(list(PAGES)))
def test_no_serious_violation(name: str, language: str, room: Room, tabs: Callable[..., Visit]) -> None:
    _check(name, language, room, tabs(PAGES[name].role, language))


# On a 360 px phone, in Hindi (a Hindi-medium class on its phones): what a student and a guardian see,
# and the teacher's wide tables, which scroll there (a scrolling region must be reachable by keyboard).
PHONE = [n for n, p in PAGES.items() if p.role in ("student", "anonymous")] + [
    "grid",
    "gradebook",
    "items",
    "history",
    "pacing",
    "queue",
    "roster",
    "bank",
    "question-editor",
]


@pytest.mark.parametrize("name", _params(PHONE))
def test_no_serious_violation_on_a_phone(name: str, room: Room, tabs: Callable[..., Visit]) -> None:
    _check(name, "hi", room, tabs(PAGES[name].role, "hi", 360))
