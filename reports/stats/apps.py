from django.apps import AppConfig


class StatsConfig(AppConfig):
    """The statistical reports, the dashboards and the register extract: a layer above every
    domain app (they read them all), kept inside `reports/` beside the documents' machinery."""

    name = "reports.stats"
    label = "stats"
    verbose_name = "Отчёты и сводки"
