"""Load a year of the production calendar from the official open-data file (CSV or XML)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organisation.actions import load_calendar_year
from organisation.models import User


class Command(BaseCommand):
    help = (
        "Загружает производственный календарь года из файла открытых данных (CSV портала "
        "data.gov.ru или XML): год становится подтверждённым."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("year", type=int)
        parser.add_argument("file", help="путь к файлу .csv или .xml")
        parser.add_argument("--source", required=True, help="постановление Правительства РФ")
        parser.add_argument("--user", default="admin", help="кто загружает (логин)")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        if not path.is_file():
            raise CommandError(f"Нет файла {path}")
        user = User.objects.filter(username=str(options["user"])).first()
        if user is None:
            raise CommandError(f"Нет сотрудника с логином {options['user']}")
        try:
            loaded = load_calendar_year(
                year=int(str(options["year"])),
                content=path.read_bytes(),
                filename=path.name,
                source=str(options["source"]),
                loaded_by=user,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{loaded.year}: нерабочих дней {loaded.days_off}, поправок к расчёту по "
            f"Трудовому кодексу {loaded.corrections}."
        )
