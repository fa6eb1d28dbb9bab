from django.apps import AppConfig


class ConsiliumConfig(AppConfig):
    name = "consilium"
    verbose_name = "ПМП консилиум"

    def ready(self) -> None:
        # O24: a discharge order is approved only on a decision of the consilium. The recipients
        # app exposes the hook; nothing in its code changes.
        from consilium.actions import discharge_decision_missing
        from recipients.actions import register_precondition
        from recipients.models import OrderKind

        register_precondition(OrderKind.DISCHARGE, discharge_decision_missing)
