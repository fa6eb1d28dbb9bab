"""Demo diagnostics and programmes (ИПСРН) for the enrolled demo recipients, built through the
real actions. Runs after the recipients' and services' demo loaders; the consilium's loader
then approves the programmes and takes one child through discharge. Safe to re-run."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TextIO

from django.core.exceptions import ValidationError
from django.utils import timezone

from organisation import calendar
from organisation.models import Position, User
from organisation.text import with_plural
from recipients.models import Recipient
from rehab_programs import actions
from rehab_programs.models import Area, Diagnostic, Stage
from services.models import Service

# The most recently enrolled children are left without a programme (the last one also without
# diagnostics) to show the O15/O16 terms running.
WITHOUT_PROGRAMME = 2


def _staff(department_id: int) -> dict[str, User]:
    staff: dict[str, User] = {}
    for user in User.objects.filter(department_id=department_id, is_active=True).order_by("pk"):
        staff.setdefault(user.position, user)
    return staff


def _not_after(d: date, today: date) -> date:
    return min(d, today)


def load(out: TextIO) -> None:
    if Diagnostic.objects.exists():
        count = with_plural(Diagnostic.objects.count(), "запись", "записи", "записей")
        out.write(f"Диагностика и ИПСРН: {count} (уже загружены)\n")
        return
    today = timezone.localdate()
    children = list(
        Recipient.objects.enrolled(today)
        .filter(archived_at__isnull=True)
        .order_by("first_day_of_stay", "pk")
    )
    if not children:
        out.write("Диагностика и ИПСРН: нет зачисленных получателей — ничего не создано\n")
        return
    services = {s.code: s for s in Service.objects.filter(code__in=["3.4.1", "4.1.3", "2.3.2"])}
    programmes = 0
    last = len(children) - 1
    for n, child in enumerate(children):
        assert child.first_day_of_stay is not None
        if n == last and n > 0:
            continue
        staff = _staff(child.department_id)
        psych = staff.get(Position.PSYCHOLOGIST)
        socped = staff.get(Position.SOCIAL_PEDAGOGUE) or psych
        if psych is None or socped is None:
            continue
        first = child.first_day_of_stay
        try:
            primary_on = _not_after(calendar.add_working_days(first, 2 + n % 3), today)
            actions.record_diagnostic(
                recipient=child,
                stage=Stage.PRIMARY,
                area=Area.PSYCHOLOGICAL,
                conducted_on=primary_on,
                conducted_by=psych,
                duration_minutes=40,
                methods="Тест тревожности Тэммл, Дорки, Амен; методика «Рисунок семьи»",
                results="Повышенный уровень тревожности, напряжённость в семейных отношениях.",
                conclusions="Рекомендованы коррекционные занятия с психологом.",
            )
            if n > last - WITHOUT_PROGRAMME:
                continue
            actions.record_diagnostic(
                recipient=child,
                stage=Stage.PRIMARY,
                area=Area.PEDAGOGICAL,
                conducted_on=primary_on,
                conducted_by=socped,
                duration_minutes=35,
                methods="Наблюдение, беседа, анализ школьной успеваемости",
                results="Пробелы в знаниях по математике, низкая учебная мотивация.",
                conclusions="Помощь в подготовке домашних заданий, развивающие занятия.",
            )
            drawn_up_on = _not_after(calendar.add_working_days(primary_on, 4), today)
            programme = actions.draw_up_rehab_programme(
                recipient=child,
                drawn_up_by=psych,
                drawn_up_on=drawn_up_on,
                curator=psych,
                goal="Снижение тревожности, восстановление учебной мотивации, гармонизация "
                "детско-родительских отношений.",
            )
            plan = [
                (services.get("3.4.1"), "", psych, 30, "Снижение уровня тревожности"),
                (services.get("4.1.3"), "", socped, 45, "Ликвидация пробелов по математике"),
                (None, "Семейная консультация с матерью", psych, 60, "Согласованные требования"),
            ]
            for service, description, who, days, expected in plan:
                actions.add_activity(
                    programme=programme,
                    added_by=psych,
                    responsible=who,
                    due_on=drawn_up_on + timedelta(days=days),
                    service=service,
                    description=description if service is None else "",
                    expected_result=expected,
                )
            if n % 3 != 2:
                mother = child.representations.select_related("representative").first()
                actions.record_familiarisation(
                    programme=programme,
                    recorded_by=psych,
                    minor_explained_on=drawn_up_on,
                    minor_explanation="В беседе объяснено, зачем нужны занятия; ребёнок согласен.",
                    parent_info_withheld=False,
                    parent_familiarised=mother.representative if mother else None,
                    parent_familiarised_on=drawn_up_on if mother else None,
                )
            else:
                actions.record_familiarisation(
                    programme=programme,
                    recorded_by=psych,
                    minor_explained_on=drawn_up_on,
                    minor_explanation="Объяснено в доступной форме.",
                    parent_info_withheld=True,
                    withheld_reason="По сведениям органа опеки, отец применял насилие; "
                    "информирование может навредить ребёнку.",
                )
            if n == 0:  # O37: the curator's proposal goes to the consilium's agenda
                actions.propose_change(
                    programme=programme,
                    proposed_by=psych,
                    proposed_on=_not_after(drawn_up_on + timedelta(days=20), today),
                    what="Добавить групповые занятия по развитию коммуникативных навыков.",
                    why="Ребёнок избегает общения со сверстниками; индивидуальные занятия "
                    "снизили тревожность, пора переходить к группе.",
                )
            programmes += 1
        except ValidationError as exc:  # e.g. a service refused in the demo journal
            out.write(f"  {child.short_name}: пропущено ({'; '.join(exc.messages)})\n")
    out.write(
        "Диагностика и ИПСРН: "
        f"{with_plural(Diagnostic.objects.count(), 'запись', 'записи', 'записей')} диагностики, "
        f"{with_plural(programmes, 'программа', 'программы', 'программ')}\n"
    )
