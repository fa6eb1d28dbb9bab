from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Учреждение"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from organisation import calendar
        from organisation.models import CalendarDay

        def forget_calendar(**kwargs: object) -> None:
            calendar.clear_cache()

        post_save.connect(forget_calendar, sender=CalendarDay, dispatch_uid="calendar_save")
        post_delete.connect(forget_calendar, sender=CalendarDay, dispatch_uid="calendar_delete")
