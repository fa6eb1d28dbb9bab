from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Учреждение"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from organisation import calendar, lookups  # noqa: F401 (registers the lookups)
        from organisation.models import CalendarDay

        def forget_calendar(**kwargs: object) -> None:
            calendar.clear_cache()

        post_save.connect(forget_calendar, sender=CalendarDay, dispatch_uid="calendar_save")
        # the idle timeout counts from the sign-in (organisation/middleware.py)
        from django.contrib.auth.signals import user_logged_in

        from organisation.middleware import mark_seen

        def seen_at_login(request: object, **kwargs: object) -> None:
            if request is not None and hasattr(request, "session"):
                mark_seen(request)  # type: ignore[arg-type]

        user_logged_in.connect(seen_at_login, dispatch_uid="idle_timeout_login")
        post_delete.connect(forget_calendar, sender=CalendarDay, dispatch_uid="calendar_delete")
