"""A school ready for a OneRoster import: our chemistry course (code CHEM11, two objectives) and a school
admin; the bundle itself is in school_bundle.py."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.accounts.models import Role
from tests import factories


@pytest.fixture
def school(db: None) -> dict[str, Any]:
    chem = factories.course(code="CHEM11", title="Class 11 Chemistry")
    gas = factories.unit(chem, code="GAS", title="Gas Laws")
    a = factories.objective(gas, code="GAS-1", statement="Explain gas pressure.", order=1)
    b = factories.objective(gas, code="GAS-2", statement="=Use Boyle's law.", order=2, prerequisites=[a])
    admin = factories.user(Role.ADMIN, username="principal", display_name="Principal Iyer")
    teacher = factories.teacher(username="mr_local")
    return {"course": chem, "a": a, "b": b, "admin": admin, "teacher": teacher}
