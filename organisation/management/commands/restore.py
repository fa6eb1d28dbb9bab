"""manage.py restore ARCHIVE: into an empty database and MEDIA_ROOT, then checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from organisation.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Восстановить копию (manage.py backup) в пустую базу и проверить строки и файлы."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Архив, сделанный manage.py backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["archive"])
        if not source.is_file():
            raise CommandError(f"Нет файла {source}.")
        try:
            result = restore_backup(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            raise CommandError("Восстановлено с расхождениями:\n" + "\n".join(result.problems))
        self.stdout.write(
            f"Восстановлено и проверено: {result.tables} таблиц, {result.rows} строк, "
            f"{result.files} файлов."
        )
