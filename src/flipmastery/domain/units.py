"""Reading a student's "101.3 kPa" and comparing it with an answer given in atm, through pint.

The number is read here, never by pint (so "10**10**10 kPa" is just not a number); only the unit text
goes to pint, after a check of its length and characters. Units pint does not know (an imported Moodle
question may use "apples") are compared as normalised text instead.

Phones have no ° key, so where the answer is a temperature a bare `C` or `F` (and `oC`, `deg C`, `ºC` …)
is read as degrees; everywhere else `C` is the coulomb and `F` the farad, as pint reads them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pint

MAX_UNIT_LENGTH = 40
_REGISTRY: Any = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPERSCRIPT_RUN = re.compile("[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_UNIT_CHARS = re.compile(r"^[A-Za-zµμΩ°%0-9 ._/*^()\-]*$")
# NFKC has already made the masculine ordinal º an "o", so "ºC" arrives here as "oC".
_SPELLINGS = [
    (re.compile(r"°\s*C\b|℃|\bdeg\s*C\b|\bcelsius\b", re.I), "degC"),
    (re.compile(r"(?<![A-Za-z])o\s?C\b"), "degC"),
    (re.compile(r"°\s*F\b|℉|\bdeg\s*F\b|(?<![A-Za-z])o\s?F\b"), "degF"),
    (re.compile(r"°\s*K\b"), "K"),
    (re.compile(r"\bltr\b|\blitres?\b|\bliters?\b", re.I), "L"),
    (re.compile(r"\bmm\s*Hg\b", re.I), "mmHg"),
    (re.compile(r"\bcc\b"), "cm**3"),
]
_NUMBER = re.compile(
    r"^\s*(?P<sign>[-+−]?)\s*(?P<digits>\d[\d,\u2009\u202f ]*\d|\d)?(?P<fraction>\.\d*)?"
    r"(?:\s*(?:[eE](?P<e>[-+−]?\d{1,3})|[x×*·]\s*10\s*(?:\^|\*\*)\s*\(?(?P<p>[-+−]?\d{1,3})\)?"
    r"))?"
)
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{2})*,\d{3}$|^\d{1,3}(?:,\d{3})+$")

# The names of the dimensions a student will meet, for feedback that speaks like a teacher.
_DIMENSION_NAMES = {
    "[length]": "a length",
    "[length] ** 3": "a volume",
    "[length] ** 2": "an area",
    "[mass]": "a mass",
    "[mass] / [length] / [time] ** 2": "a pressure",
    "[temperature]": "a temperature",
    "[current] * [time]": "an electric charge",
    "[substance]": "an amount of substance",
    "[mass] / [substance]": "a molar mass",
    "[time]": "a time",
    "[length] / [time]": "a speed",
    "[substance] / [length] ** 3": "a concentration",
    "[length] ** 2 * [mass] / [time] ** 2": "an energy",
    "[mass] / [length] ** 3": "a density",
    "": "a pure number",
}


@dataclass(frozen=True)
class Reading:
    """What a student typed, split into its number (None if there is none) and its unit text."""

    number: float | None
    unit: str


def read_quantity(text: str) -> Reading:
    """Split "1.5 × 10^3 kPa" into 1500.0 and "kPa"; decimal and grouping commas are understood."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), str(text or ""))
    text = unicodedata.normalize("NFKC", text).strip().replace("−", "-")
    match = _NUMBER.match(text)
    if not match or not (match.group("digits") or (match.group("fraction") or "").strip(".")):
        return Reading(None, text)
    digits = re.sub(r"[\u2009\u202f ]", "", match.group("digits") or "0")
    fraction = match.group("fraction") or ""
    if "," in digits:
        if _GROUPED.match(digits) and not (fraction == "" and digits.count(",") == 1 and len(digits) < 5):
            digits = digits.replace(",", "")
        elif digits.count(",") == 1 and not fraction:
            digits, fraction = digits.replace(",", "."), ""  # "1,5": a decimal comma
        else:
            return Reading(None, text)
    exponent = match.group("e") or match.group("p")
    try:
        number = float(f"{match.group('sign').replace('−', '-')}{digits}{fraction or ''}")
        if exponent:
            number *= 10.0 ** int(exponent.replace("−", "-"))
    except (ValueError, OverflowError):
        return Reading(None, text)
    if not math.isfinite(number):
        return Reading(None, text)
    return Reading(number, text[match.end() :].strip())


def normalise_unit(unit: str) -> str:
    unit = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), unit)
    unit = unicodedata.normalize("NFKC", unit).strip()
    unit = unit.replace("·", "*").replace("⋅", "*").replace("μ", "µ")
    for pattern, spelling in _SPELLINGS:
        unit = pattern.sub(spelling, unit)
    unit = re.sub(r"([A-Za-z])(\d)", r"\1^\2", unit)  # m3 → m^3, as a student types it
    return re.sub(r"\s+", " ", unit).strip()


@lru_cache(maxsize=2048)
def _parse(unit: str) -> Any:
    if not unit or len(unit) > MAX_UNIT_LENGTH or not _UNIT_CHARS.match(unit):
        return None
    try:
        parsed = _REGISTRY.parse_units(unit)
    except Exception:  # pint raises many kinds for text that is not a unit; all mean "unknown"
        return None
    return parsed


# A bare C or F, once the spellings above are applied, when only a temperature makes sense.
_BARE_DEGREES = {"C": "degC", "F": "degF"}
_TEMPERATURE = "[temperature]"


def _is_temperature(parsed: Any) -> bool:
    return parsed is not None and str(parsed.dimensionality) == _TEMPERATURE


def is_temperature(unit: str) -> bool:
    """Whether this unit measures a temperature (°C, oC, degF, K …); a bare "C" is the coulomb."""
    return _is_temperature(_parse(normalise_unit(unit)))


def known(unit: str) -> bool:
    """Whether pint understands this unit text (after our spellings: °C, litre, mm Hg, m3 …)."""
    return _parse(normalise_unit(unit)) is not None


class UnitMismatch(Exception):
    """The unit given measures something else than the answer's unit; the message says what."""


def convert(value: float, unit: str, target: str) -> float:
    """`value` in `unit` expressed in `target`; UnitMismatch if unknown or of another dimension."""
    given_text, target_text = normalise_unit(unit), normalise_unit(target)
    target_unit = _parse(target_text)
    if target_unit is None:
        # A unit pint does not know can only be matched as written.
        if given_text.casefold() == target_text.casefold():
            return value
        raise UnitMismatch(f"the unit should be {target}")
    if _is_temperature(target_unit):
        given_text = _BARE_DEGREES.get(given_text, given_text)
    given_unit = _parse(given_text)
    if given_unit is None:
        raise UnitMismatch(
            f"{unit!r} is not a unit we know; the answer is {describe(target)}, e.g. in {target}"
        )
    try:
        result = _REGISTRY.Quantity(value, given_unit).to(target_unit).magnitude
    except pint.DimensionalityError:
        raise UnitMismatch(
            f"{unit} is {describe(unit)}, but the answer is {describe(target)} (e.g. in {target})"
        ) from None
    except (ArithmeticError, ValueError):  # e.g. Ym^20 to m^20: a factor of 10^480 overflows a float
        raise UnitMismatch(
            f"{unit} is too far from {target} to compare; give the answer in {target}"
        ) from None
    return float(result)


def describe(unit: str) -> str:
    """ "a pressure", "a volume" … for feedback."""
    parsed = _parse(normalise_unit(unit))
    if parsed is None:
        return f"in {unit}"
    dims = str(parsed.dimensionality).replace("dimensionless", "")
    return _DIMENSION_NAMES.get(dims, f"measured in {unit}")
