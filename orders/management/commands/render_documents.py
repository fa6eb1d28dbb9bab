"""Render every printed document from the records in the database (the demo, for example) to
PDF, and each page to PNG with poppler's `pdftoppm`, for a person to look at.

    DEBUG=true .venv/bin/python manage.py render_documents /tmp/documents

The documents are fetched through their views as the director (who may read everything), so
what is rendered is exactly what a user downloads. It lives in `orders/`, the top layer, because
it reaches the documents of every app.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone


def _first(model: Any, **filters: Any) -> Any:
    return model.objects.filter(**filters).order_by("pk").first()


def documents() -> Iterator[tuple[str, str]]:
    """(file name, URL) of one document of every kind the records allow."""
    from consilium.models import Meeting
    from orders.models import Order, OrderKind
    from patronage.models import ActKind, Channel, VisitAct
    from recipients.models import Consent, Contract, Recipient
    from rehab_programs.models import Conclusion, RehabProgramme
    from services.models import IndividualProgramme, Refusal, UrgentServiceAct

    today = timezone.localdate()
    enrolled = Recipient.objects.enrolled(today).order_by("pk").first()
    if enrolled:
        yield "01-zayavlenie", reverse("recipients:application_pdf", args=[enrolled.pk])
        yield "02-oznakomlenie", reverse("recipients:familiarisation_pdf", args=[enrolled.pk])
    if consent := _first(Consent, given_by__isnull=False):
        yield "03-soglasie", reverse("recipients:consent_pdf", args=[consent.pk])
    if contract := _first(Contract):
        yield "04-dogovor", reverse("recipients:contract_pdf", args=[contract.pk])
    for kind, name in (
        (OrderKind.ENROLMENT, "05-prikaz-zachislenie"),
        (OrderKind.DISCHARGE, "06-prikaz-snyatie"),
    ):
        if order := _first(Order, kind=kind):
            yield name, reverse("orders:pdf", args=[order.pk])
    if draft := Order.objects.exclude(status="approved").order_by("pk").first():
        yield "07-prikaz-proekt", reverse("orders:pdf", args=[draft.pk])
    consent = Consent.objects.exclude(third_parties="").order_by("pk").first()
    if consent and consent.third_party_list:
        yield (
            "08-vypiska",
            reverse("recipients:extract_pdf", args=[consent.recipient_id])
            + "?third_party="
            + consent.third_party_list[0],
        )
    if service_programme := _first(IndividualProgramme, archived_at__isnull=True):
        refused = Refusal.objects.filter(line__isnull=False).order_by("pk").first()
        if refused is not None and refused.line is not None:
            service_programme = refused.line.programme
        yield "09-ippsu", reverse("services:programme_pdf", args=[service_programme.pk])
    if refusal := _first(Refusal):
        yield "10-otkaz", reverse("services:refusal_pdf", args=[refusal.pk])
    if act := _first(UrgentServiceAct):
        yield "11-srochnye-akt", reverse("services:urgent_act_pdf", args=[act.pk])
    start = today - timedelta(days=30)
    yield (
        "12-zhurnal-uslug",
        reverse("services:journal_pdf") + f"?date_from={start:%d.%m.%Y}&date_to={today:%d.%m.%Y}",
    )
    for channel in Channel:
        yield (
            f"13-zhurnal-{channel.value}",
            reverse("patronage:journal_pdf")
            + f"?channel={channel.value}&date_from={today - timedelta(days=90):%d.%m.%Y}"
            f"&date_to={today:%d.%m.%Y}",
        )
    for act_kind in ActKind:
        if visit_act := _first(VisitAct, kind=act_kind):
            yield (
                f"14-akt-{act_kind.value}",
                reverse("patronage:visit_act_pdf", args=[visit_act.visit_id]),
            )
    if meeting := Meeting.objects.order_by("-pk").first():
        yield "15-protokol", reverse("consilium:protocol_pdf", args=[meeting.pk])
    if ipsrn := _first(RehabProgramme):
        yield "16-ipsrn", reverse("rehab_programs:programme_pdf", args=[ipsrn.pk])
        yield (
            "17-ipsrn-roditel",
            reverse("rehab_programs:programme_pdf", args=[ipsrn.pk]) + "?copy=parent",
        )
    if conclusion := _first(Conclusion):
        yield "18-zaklyuchenie", reverse("rehab_programs:conclusion_pdf", args=[conclusion.pk])
    yield "19-pamyatka", reverse("public_info_pdf")
    with contextlib.suppress(NoReverseMatch):  # the sample exists in development only
        yield "20-obrazec", reverse("reports:demo")


class Command(BaseCommand):
    help = "Render every printed document (PDF and PNG pages) from the database's records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="directory for the PDF and PNG files")
        parser.add_argument("--no-png", action="store_true", help="PDF only")
        parser.add_argument("--dpi", type=int, default=60)

    def handle(self, *args: Any, out: str, no_png: bool, dpi: int, **options: Any) -> None:
        from organisation.models import Position, User

        director = User.objects.filter(position=Position.DIRECTOR, is_active=True).first()
        if director is None:
            raise CommandError("Нет директора: загрузите демонстрационные данные (make setup).")
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        pdftoppm = shutil.which("pdftoppm")
        if not no_png and pdftoppm is None:
            raise CommandError("pdftoppm не найден: apt-get install poppler-utils, или --no-png.")
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        client.force_login(director)
        for name, url in documents():
            started = time.monotonic()
            response = client.get(url)
            took = time.monotonic() - started
            if response.status_code != 200 or response["Content-Type"] != "application/pdf":
                self.stderr.write(f"{name}: {url} → {response.status_code}")
                continue
            pdf = target / f"{name}.pdf"
            pdf.write_bytes(response.content)
            if not no_png:
                subprocess.run(
                    [str(pdftoppm), "-png", "-r", str(dpi), str(pdf), str(target / name)],
                    check=True,
                )
            self.stdout.write(f"{name}: {len(response.content) // 1024} КБ, {took:.2f} с")
