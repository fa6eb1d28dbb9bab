from django.apps import AppConfig


class ConsiliumConfig(AppConfig):
    name = "consilium"
    verbose_name = "ПМП консилиум"
