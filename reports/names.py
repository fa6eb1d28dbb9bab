"""Russian for documents, in one place: personal names declined after a preposition or a verb
(«выдан Иванову Ивану Петровичу», «в лице директора Петровой Анны Сергеевны») and words agreed with
the person's sex («ознакомлена», «действующей», «несовершеннолетнего»).

Built on pytrovich (the petrovich rules, made for declining Russian surnames, first names and
patronymics). The sex, when recorded, is used; otherwise it is detected from the patronymic, which
is reliable for Russian patronymics. Only when neither tells the sex does a document print the
placeholder form («ознакомлен(а)»), for the reader to strike out by hand.

Templates use the filters of `{% load documents %}`: `{{ person|genitive }}`,
`{{ person|dative_short }}`, `{{ person|g:"ознакомлен,ознакомлена" }}`, `{{ person|initials }}`.
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

# Values of a person's `sex` attribute, as the models store it (`organisation.models.Sex`).
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


def sex_of(person: Any) -> str | None:
    """ "male", "female" or None: the recorded sex, else the one the patronymic gives."""
    if not person:
        return None
    recorded = _SEX.get((getattr(person, "sex", "") or "").lower())
    if recorded is not None:
        return "male" if recorded == Gender.MALE else "female"
    if isinstance(person, str):
        bits = person.split()
        patronymic = bits[2] if len(bits) > 2 else ""
        first = bits[1] if len(bits) > 1 else ""
        last = bits[0] if bits else ""
    else:
        last = getattr(person, "last_name", "") or ""
        first = getattr(person, "first_name", "") or ""
        patronymic = getattr(person, "patronymic", "") or ""
    if not patronymic:
        return None
    gender = detect_gender(last, first, patronymic)
    if gender == Gender.MALE:
        return "male"
    if gender == Gender.FEMALE:
        return "female"
    return None


def placeholder(masculine: str, feminine: str) -> str:
    """«ознакомлен(а)», «несовершеннолетнего(ей)»: both forms, for a person of unknown sex. In
    forms of several words only the words that differ take the alternative: «Заключение
    получил(а) родитель», «моему(ей) подопечному(ой)»."""
    words_m, words_f = masculine.split(" "), feminine.split(" ")
    if len(words_m) > 1 and len(words_m) == len(words_f):
        pairs = zip(words_m, words_f, strict=True)
        return " ".join(m if m == f else _word_placeholder(m, f) for m, f in pairs)
    return _word_placeholder(masculine, feminine)


def _word_placeholder(masculine: str, feminine: str) -> str:
    common = 0
    while common < min(len(masculine), len(feminine)) and masculine[common] == feminine[common]:
        common += 1
    if common == 0:
        return f"{masculine} ({feminine})"
    if common == len(masculine):
        return f"{masculine}({feminine[common:]})"
    # «несовершеннолетнего» / «несовершеннолетней» → «несовершеннолетнего(ей)»: a one-letter
    # ending is written with the letter before it, as forms usually spell it.
    start = common - 1 if len(feminine) - common == 1 else common
    return f"{masculine}({feminine[start:]})"


def agree(person: Any, masculine: str, feminine: str, unknown: str | None = None) -> str:
    """The word agreed with the person's sex; the placeholder form when the sex is unknown."""
    sex = sex_of(person)
    if sex == "male":
        return masculine
    if sex == "female":
        return feminine
    return unknown if unknown is not None else placeholder(masculine, feminine)


def initials(person: Any, case: Case | str = Case.NOMINATIVE) -> str:
    """«А. С. Петровой»: the initials before the declined surname, as under a signature."""
    last, first, middle, sex = _parts(person)
    declined_last = decline(last, first, middle, case, sex=sex)[0]
    return text.initials_surname(declined_last, first, middle)


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
