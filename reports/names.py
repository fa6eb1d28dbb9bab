"""Russian personal names declined for documents: «выдан Иванову Ивану Петровичу».

Built on pytrovich (the petrovich rules, made for declining Russian surnames, first names and
patronymics). The sex, when known, is passed in; otherwise it is detected from the patronymic
and the name, which is reliable for Russian patronymics.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Any

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as _PCase
from pytrovich.enums import Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from organisation import text


class Case(StrEnum):
    NOMINATIVE = "nominative"  # кто? Иванов Иван Петрович
    GENITIVE = "genitive"  # кого? Иванова Ивана Петровича
    DATIVE = "dative"  # кому? Иванову Ивану Петровичу
    ACCUSATIVE = "accusative"  # кого? Иванова Ивана Петровича
    INSTRUMENTAL = "instrumental"  # кем? Ивановым Иваном Петровичем
    PREPOSITIONAL = "prepositional"  # о ком? об Иванове Иване Петровиче


_CASES = {
    Case.GENITIVE: _PCase.GENITIVE,
    Case.DATIVE: _PCase.DATIVE,
    Case.ACCUSATIVE: _PCase.ACCUSATIVE,
    Case.INSTRUMENTAL: _PCase.INSTRUMENTAL,
    Case.PREPOSITIONAL: _PCase.PREPOSITIONAL,
}

# Values of a person's `sex` attribute, as the recipients' models store it.
_SEX = {
    "male": Gender.MALE,
    "m": Gender.MALE,
    "м": Gender.MALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "ж": Gender.FEMALE,
}


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def _decline_part(part: NamePart, value: str, gender: Gender, case: Case) -> str:
    if not value or case == Case.NOMINATIVE:
        return value
    # Double-barrelled surnames decline part by part: «Петрова-Водкина».
    return "-".join(_maker().make(part, gender, _CASES[case], p) for p in value.split("-"))


def detect_gender(last_name: str, first_name: str, patronymic: str) -> Gender:
    return _detector().detect(
        firstname=first_name or None, lastname=last_name or None, middlename=patronymic or None
    )


def decline(
    last_name: str,
    first_name: str = "",
    patronymic: str = "",
    case: Case | str = Case.GENITIVE,
    *,
    sex: str | None = None,
) -> tuple[str, str, str]:
    """The three parts of a name in `case`."""
    case = Case(case)
    gender = _SEX.get((sex or "").lower()) or detect_gender(last_name, first_name, patronymic)
    return (
        _decline_part(NamePart.LASTNAME, last_name, gender, case),
        _decline_part(NamePart.FIRSTNAME, first_name, gender, case),
        _decline_part(NamePart.MIDDLENAME, patronymic, gender, case),
    )


def _parts(person: Any) -> tuple[str, str, str, str | None]:
    if isinstance(person, str):
        bits = person.split()
        bits += [""] * (3 - len(bits))
        return bits[0], bits[1], " ".join(bits[2:]).strip(), None
    return (
        getattr(person, "last_name", "") or "",
        getattr(person, "first_name", "") or "",
        getattr(person, "patronymic", "") or "",
        getattr(person, "sex", None),
    )


def full_name(person: Any, case: Case | str = Case.NOMINATIVE) -> str:
    """«Иванову Ивану Петровичу» for a person object (last_name, first_name, patronymic, sex)
    or a «Фамилия Имя Отчество» string."""
    last, first, middle, sex = _parts(person)
    return " ".join(p for p in decline(last, first, middle, case, sex=sex) if p)


def short_name(person: Any, case: Case | str = Case.NOMINATIVE) -> str:
    """«Иванову И. П.»: the surname declined, the initials as they are."""
    last, first, middle, sex = _parts(person)
    declined_last = decline(last, first, middle, case, sex=sex)[0]
    return text.short_name(declined_last, first, middle)
