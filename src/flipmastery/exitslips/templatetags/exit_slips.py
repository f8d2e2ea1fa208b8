"""The playlist's "Exit slip: 2 questions" button, while a slip is open in the section."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count

from flipmastery.classroom.models import Section
from flipmastery.exitslips.models import ExitSlip

register = template.Library()


@register.inclusion_tag("exitslips/_banner.html")
def exit_slip_banner(section: Section) -> dict[str, Any]:
    slip = None
    if section.archived_at is None:
        slip = (
            ExitSlip.objects.filter(section=section, closed_at__isnull=True)
            .annotate(item_count=Count("items"))
            .first()
        )
    return {"section": section, "slip": slip}
