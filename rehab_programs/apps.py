from django.apps import AppConfig


class RehabProgramsConfig(AppConfig):
    name = "rehab_programs"
    verbose_name = "Реабилитационные программы"
