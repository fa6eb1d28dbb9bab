"""manage.py backup [ARCHIVE]: the database and the uploaded scans in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from organisation.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Резервная копия: база данных и загруженные сканы в одном архиве .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            help="Файл архива (по умолчанию backups/srcn-ГГГГММДД-ЧЧММСС.tar.gz).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(options["archive"] or f"backups/srcn-{stamp}.tar.gz")
        try:
            manifest = make_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Копия {target}: {len(manifest['rows'])} таблиц, {rows} строк, "
            f"{len(manifest['files'])} файлов."
        )
