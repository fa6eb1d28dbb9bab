"""The centre's own details as the documents print them, and the check that they are set.

They come from the `CENTRE_*` settings (the environment). A document prints a blank line for a
detail that is not set; the administrator is told which are missing by `manage.py check`
(warning `reports.W001`) and on the administrator's start page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks

# setting → what it is, in the words of the warning
REQUIRED_DETAILS = {
    "CENTRE_NAME": "полное наименование",
    "CENTRE_ADDRESS": "адрес",
    "CENTRE_PHONE": "телефон",
    "CENTRE_CITY": "место составления документов (город)",
    "CENTRE_INN": "ИНН",
    "CENTRE_OGRN": "ОГРН",
}


@dataclass(frozen=True)
class Centre:
    name: str
    address: str
    phone: str
    city: str
    inn: str
    ogrn: str
    email: str
    hours: str


def centre() -> Centre:
    return Centre(
        name=settings.CENTRE_NAME,
        address=settings.CENTRE_ADDRESS,
        phone=settings.CENTRE_PHONE,
        city=settings.CENTRE_CITY,
        inn=settings.CENTRE_INN,
        ogrn=settings.CENTRE_OGRN,
        email=settings.CENTRE_EMAIL,
        hours=settings.CENTRE_HOURS,
    )


def missing_details() -> list[str]:
    """What the documents need and the settings do not give, in Russian."""
    return [
        label
        for name, label in REQUIRED_DETAILS.items()
        if not str(getattr(settings, name, "") or "").strip()
    ]


def check_centre_details(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    missing = missing_details()
    if not missing:
        return []
    return [
        checks.Warning(
            "Не заданы реквизиты учреждения для документов: " + ", ".join(missing) + ".",
            hint="Задайте переменные окружения "
            + ", ".join(n for n, label in REQUIRED_DETAILS.items() if label in missing)
            + " (см. .env.example). Без них в договоре, согласии и памятке для получателей "
            "остаются пустые строки.",
            id="reports.W001",
        )
    ]
