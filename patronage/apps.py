from django.apps import AppConfig


class PatronageConfig(AppConfig):
    name = "patronage"
    verbose_name = "Патронаж"
