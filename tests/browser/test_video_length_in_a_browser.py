"""Video-length guidance in a browser at 1920 px: a teacher gives the course its grade level in the studio's
settings and sees, beside a video too long for it, the warning with its numbers."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def test_a_long_video_is_flagged_after_the_grade_is_set(visit: Any) -> None:
    room = factories.small_classroom()
    course, teacher = room["course"], room["teacher"]
    course.teachers.add(teacher)
    room["primary"].minutes = 14
    room["primary"].save()
    tab = visit(1920, 1080)
    page = tab.log_in("ms_rao", factories.PASSWORD)

    page.goto(f"{tab.base_url}/teach/studio/{course.pk}/")
    page.locator("details.studio-settings > summary").click()
    page.get_by_label("Grade level (class 1–12)").fill("9")
    with page.expect_navigation():
        page.click("#save-course")
    page.goto(f"{tab.base_url}/teach/studio/{course.pk}/objectives/{room['a'].pk}/")

    warning = page.locator(".video-too-long")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text(
        "Video 'Video 1' is 14 min; for grade 9 the rule of thumb is at most 9–13½ min "
        "(60–90 s per grade level)."
    )
    warning.scroll_into_view_if_needed()
    tab.shot("video-length-studio-1920")
    assert tab.console_errors == []  # (the preview embeds the video's player: that request leaves)
