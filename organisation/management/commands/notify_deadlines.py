"""The daily deadline job without Celery (the embedded SQLite setup, cron)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from organisation.actions import notify_deadlines


class Command(BaseCommand):
    help = "Рассылает уведомления о подходящих и нарушенных сроках (повторный запуск безопасен)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--date", help="дата в виде дд.мм.гггг (по умолчанию сегодня)")
        parser.add_argument("--force", action="store_true", help="запустить и в нерабочий день")

    def handle(self, *args: object, **options: object) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.strptime(str(options["date"]), "%d.%m.%Y").date()
            except ValueError as exc:
                raise CommandError("Дата должна быть в виде дд.мм.гггг") from exc
        result = notify_deadlines(today=today, force=bool(options["force"]))
        if result.skipped_non_working_day:
            self.stdout.write("Нерабочий день: уведомления не рассылаются.")
        else:
            self.stdout.write(f"Новых уведомлений: {result.created}, писем: {result.emailed}")
            if result.years_needing_decree:
                years = ", ".join(str(y) for y in result.years_needing_decree)
                self.stdout.write(
                    f"Производственный календарь не подтверждён на {years} г.: сроки рассчитаны "
                    "по Трудовому кодексу без постановления о переносе выходных дней. Загрузите "
                    "календарь года (manage.py load_calendar_year)."
                )
