"""Who did what in the demo classes, three weeks into the unit: one line per student, as a teacher tells it.

`mastered` counts objectives in the order the playlist offers them (prerequisites first, essentials
before nice-to-know); `now` says where the student stands today on the next one. The history that gets
them there is played through the services by `demo.history`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Now(enum.StrEnum):
    DONE = "done"  # mastered every objective of the unit
    READY = "ready"  # the next objective is open; not started yet
    LEARNING = "learning"  # watched its video last night
    HELP = "help"  # learning it, and waiting in the queue for help right now
    STUCK = "stuck"  # learning it for days; the teacher's verbal check found a misconception
    NOT_YET = "not_yet"  # a check not passed; talked with the teacher; the corrective still to do
    RETAKE = "retake"  # a check not passed; corrective and conference done: may take a new version
    CONFERENCE = "conference"  # a check not passed a few minutes ago: waiting for the conference
    CHECKING = "checking"  # taking the check right now
    SIGN_OFF = "sign_off"  # passed the check; the teacher still signs off its lab


@dataclass(frozen=True)
class Story:
    mastered: int
    now: Now
    struggles: float = 0.15  # the chance that a first check on an objective is "not yet"
    tags: tuple[str, ...] = ()  # the misconceptions the teacher's verbal check tagged (STUCK, NOT_YET)
    note: str = ""  # what the student asks for help with (HELP), or the teacher's note (STUCK, NOT_YET)


S = Story
N = Now

# Chemistry 11-A, Gas Laws: GAS-1 … GAS-4, then GAS-6 (essential), then GAS-5 and GAS-7 (nice to know).
CHEMISTRY = [
    S(5, N.LEARNING),  # chem01
    S(3, N.NOT_YET, 0.2, ("used °C, not K",), "Put 25 °C straight into PV = nRT."),
    S(7, N.DONE, 0.05),
    S(4, N.LEARNING),
    S(4, N.STUCK, 0.2, ("skipped the mole ratio",), "Took the moles of Al as moles of H₂; 2 Al give 3 H₂."),
    S(4, N.HELP, note="How do I get the moles of H₂ from grams of zinc?"),
    S(0, N.READY),  # chem07 joined the class last week
    S(3, N.LEARNING, 0.15),
    S(3, N.CHECKING, 0.15),
    S(3, N.CONFERENCE, 0.3),  # chem10
    S(6, N.LEARNING, 0.05),
    S(3, N.NOT_YET, 0.3, ("used °C, not K",), "Kelvin in the gas constant, Celsius for T."),
    S(2, N.READY, 0.4),
    S(4, N.SIGN_OFF),
    S(4, N.LEARNING, 0.15),  # chem15
    S(3, N.RETAKE, 0.3),
    S(0, N.HELP, note="I was absent last week. Where do I start?"),
    S(3, N.LEARNING),
    S(4, N.STUCK, 0.2, ("skipped the mole ratio",), "Took moles of HCl as moles of H₂; 2 HCl give 1 H₂."),
    S(5, N.LEARNING, 0.05),  # chem20
    S(3, N.LEARNING, 0.2),
    S(4, N.LEARNING),
    S(0, N.RETAKE, 0.9),
    S(4, N.NOT_YET, 0.2, ("22.4 L at room temperature",), "Used 22.4 L/mol at 25 °C."),
    S(6, N.LEARNING, 0.05),  # chem25
    S(3, N.LEARNING, 0.15),
    S(5, N.HELP, 0.15, note="Is the rate ratio the square root of the mass ratio or of its inverse?"),
    S(3, N.LEARNING, 0.2),
    S(4, N.LEARNING, 0.15),
    S(4, N.LEARNING, 0.2),  # chem30
]

# Maths 7-B, Rational Numbers: RAT-1 … RAT-4, then RAT-6 (essential), then RAT-5 (nice to know).
MATHS = [
    S(4, N.LEARNING),  # math01
    S(4, N.LEARNING, 0.15),
    S(4, N.NOT_YET, 0.3, ("अंश और हर दोनों जोड़ दिए",), "−2/3 + 1/4 का उत्तर −1/7 लिखा।"),
    S(6, N.DONE, 0.05),
    S(4, N.HELP, note="हर को समान कैसे करें?"),  # math05
    S(0, N.READY),  # joined the class last week
    S(3, N.STUCK, 0.2, ("ऋणात्मक संख्याओं की तुलना उलटी",), "−3/4 को −1/4 से बड़ा लिखा।"),
    S(3, N.LEARNING, 0.2),
    S(3, N.CONFERENCE, 0.3),
    S(4, N.LEARNING, 0.15),  # math10
    S(2, N.LEARNING, 0.4),
    S(4, N.NOT_YET, 0.3, ("अंश और हर दोनों जोड़ दिए",), "3/5 + 1/2 को 4/7 लिखा।"),
    S(3, N.LEARNING),
    S(5, N.LEARNING, 0.05),
    S(3, N.RETAKE, 0.3),  # math15
    S(1, N.HELP, 0.4, note="मैं पिछले हफ़्ते नहीं आया था। कहाँ से शुरू करूँ?"),
    S(3, N.STUCK, 0.2, ("ऋणात्मक संख्याओं की तुलना उलटी",), "−2/5 और −1/2 में बड़ी संख्या गलत चुनी।"),
    S(3, N.LEARNING, 0.15),
    S(4, N.CHECKING, 0.15),
    S(3, N.LEARNING, 0.2),  # math20
    S(2, N.RETAKE, 0.4),
    S(3, N.LEARNING),
    S(5, N.LEARNING, 0.05),
    S(3, N.LEARNING, 0.15),
    S(4, N.LEARNING, 0.15),  # math25
    S(3, N.HELP, 0.2, note="सवाल 3 समझ नहीं आया।"),
    S(2, N.READY, 0.3),
    S(3, N.LEARNING, 0.15),
    S(4, N.LEARNING),
    S(3, N.LEARNING, 0.2),  # math30
]
