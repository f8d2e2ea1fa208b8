"""A video on this server counts as used once 80 % of it was played: the page reports what plays, seeking
ahead counts nothing, and "I watched it" before that says how much is still to watch."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from flipmastery.progress.models import LearningObjectUse, ProgressEvent, VideoWatch
from tests import factories
from tests.api.conftest import bearer_client

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def video(classroom: dict[str, Any]) -> Any:
    return factories.learning_object(
        classroom["a"],
        kind="video",
        title="Boyle's law, filmed",
        url="",
        file="learning-objects/2025/boyle.mp4",
    )


def watch(
    client: Client, classroom: dict[str, Any], lo: Any, start: float, end: float, duration: float = 100
):
    url = f"/sections/{classroom['section'].pk}/learn/{lo.pk}/watched/"
    return client.post(url, {"from": start, "to": end, "duration": duration})


def mark(client: Client, classroom: dict[str, Any], lo: Any) -> Any:
    return client.post(f"/sections/{classroom['section'].pk}/learn/{lo.pk}/used/", **HTMX)


def test_playing_most_of_the_video_marks_it_used_by_itself(
    as_user: Any, classroom: dict[str, Any], video: Any
) -> None:
    asha = classroom["students"][0]
    client = as_user(asha)
    page = client.get(f"/sections/{classroom['section'].pk}/learn/{video.pk}/").content.decode()
    assert '<meter id="watched-meter" min="0" max="100" low="80" optimum="100" value="0">' in page

    for start in range(0, 70, 10):
        answer = watch(client, classroom, video, start, start + 10).json()
        assert answer == {"watched": start + 10, "used": False}
    assert not LearningObjectUse.objects.exists()

    answer = watch(client, classroom, video, 70, 80).json()
    assert answer["watched"] == 80 and answer["used"] is True
    assert "Done ✓" in answer["html"]  # the "used" box as it now reads
    assert LearningObjectUse.objects.filter(student=asha, learning_object=video).count() == 1
    assert ProgressEvent.objects.filter(student=asha, kind="used", ref=str(video.pk)).count() == 1
    again = watch(client, classroom, video, 80, 90).json()
    assert again == {"watched": 90, "used": True}  # once is enough; nothing recorded twice
    assert ProgressEvent.objects.filter(kind="used").count() == 1


def test_seeking_ahead_and_a_shrunk_length_count_nothing(
    as_user: Any, classroom: dict[str, Any], video: Any
) -> None:
    client = as_user(classroom["students"][0])
    assert watch(client, classroom, video, 0, 100).json()["watched"] == 30  # one report: its last 30 s
    assert watch(client, classroom, video, 0, 100).json()["watched"] == 30  # the same stretch again
    assert watch(client, classroom, video, 10, 20, duration=10).json()["watched"] == 40  # the length stays
    assert watch(client, classroom, video, "x", "nan", duration="inf").json()["watched"] == 40
    assert not LearningObjectUse.objects.exists()


def test_saying_i_watched_it_too_early_says_how_much_is_left(
    as_user: Any, classroom: dict[str, Any], video: Any
) -> None:
    client = as_user(classroom["students"][0])
    watch(client, classroom, video, 0, 25)
    refused = mark(client, classroom, video).content.decode()
    assert "Watch the video first: you have watched 25 % of it, and 80 % counts." in refused
    assert not LearningObjectUse.objects.exists()
    api = bearer_client(classroom["students"][0])
    answer = api.post(f"/api/v1/sections/{classroom['section'].pk}/learning-objects/{video.pk}/done")
    assert answer.status_code == 409 and "25 %" in json.dumps(answer.json())

    other = factories.learning_object(classroom["a"], kind="text", title="Notes", url="", body="P = F/A")
    assert "Done ✓" in mark(client, classroom, other).content.decode()  # a text is used when said


def test_only_the_sections_students_report_and_only_for_a_video_here(
    as_user: Any, classroom: dict[str, Any], video: Any
) -> None:
    assert watch(as_user(classroom["outsider"]), classroom, video, 0, 10).status_code == 404
    assert watch(as_user(classroom["teacher"]), classroom, video, 0, 10).status_code == 404
    youtube = classroom["primary"]  # a link to a host: nothing to count
    assert watch(as_user(classroom["students"][0]), classroom, youtube, 0, 10).status_code == 404
    assert not VideoWatch.objects.exists()
    anonymous = Client()
    assert watch(anonymous, classroom, video, 0, 10).status_code == 302
