from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Документы и отчёты"

    def ready(self) -> None:
        from django.core import checks

        from reports.centre import check_centre_details

        checks.register(check_centre_details, checks.Tags.compatibility)
