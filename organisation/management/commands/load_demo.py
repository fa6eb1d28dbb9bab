"""Loads the demo centre: every app's `demo.load(out)`, in the order of INSTALLED_APPS."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from organisation.actions import notify_deadlines
from organisation.demo import DEMO_PASSWORD, logins


class Command(BaseCommand):
    help = "Загружает демонстрационные данные (повторный запуск безопасен)."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            for config in apps.get_app_configs():
                module = f"{config.name}.demo"
                own = str(config.path).startswith(str(settings.BASE_DIR)) and ".venv" not in str(
                    config.path
                )
                if not own or find_spec(module) is None:
                    continue
                import_module(module).load(self.stdout)
            # The bell shows today's deadline notifications from the first login.
            result = notify_deadlines(force=True)
            self.stdout.write(f"Уведомления о сроках: {result.created}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Демо-данные загружены. Вход: http://127.0.0.1:8000/"))
        self.stdout.write(f"Пароль у всех демо-пользователей: {DEMO_PASSWORD}")
        for username, position, department in logins():
            self.stdout.write(f"  {username:<10} {position} ({department})")
