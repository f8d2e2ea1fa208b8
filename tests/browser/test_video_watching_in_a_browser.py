"""A student on a phone plays an uploaded video to the end: the page reports what played, and the video
counts as used by itself — the "used" box turns to "Done ✓" without a click."""

from __future__ import annotations

import io
import wave
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from flipmastery.progress.models import LearningObjectUse, VideoWatch
from tests import factories
from tests.browser.test_check_in_a_browser import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def a_short_video(seconds: float = 3.0) -> bytes:
    """A few seconds of silence the browser's media player plays like a video (no encoder needed)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * int(8000 * seconds))
    return out.getvalue()


def test_a_video_played_to_the_end_counts_as_used_by_itself(visit: Any) -> None:
    room = factories.small_classroom()
    name = default_storage.save("learning-objects/2025/boyle-filmed.webm", ContentFile(a_short_video()))
    video = factories.learning_object(room["a"], kind="video", title="Boyle filmed", url="", file=name)
    phone = visit(360, 740)
    page = phone.log_in("asha", factories.PASSWORD)
    page = phone.go(f"/sections/{room['section'].pk}/learn/{video.pk}/")
    expect(page.locator("#watched-share")).to_have_text("0 %")
    phone.shot("video-watch-0-360")

    page.locator("video").evaluate("v => { v.muted = true; return v.play(); }")
    expect(page.locator("#used .used-done")).to_contain_text("Done ✓", timeout=15_000)
    assert LearningObjectUse.objects.filter(learning_object=video, student__username="asha").exists()
    watch = VideoWatch.objects.get(learning_object=video)
    assert 2.5 <= watch.duration <= 3.5 and watch.spans[0][0] <= 0.5
    phone.shot("video-watch-1-used-360")
    assert phone.console_errors == [] and phone.external == []
