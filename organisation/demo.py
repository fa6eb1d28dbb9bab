"""Demo staff of a believable centre: two departments, a director, heads, specialists of every
position, a registrar and an administrator. Loaded by `manage.py load_demo`; safe to re-run."""

from __future__ import annotations

from typing import TextIO

from organisation.models import Department, Education, Position, User

DEMO_PASSWORD = "srcn-demo-2026"

DEPARTMENTS = {
    "odp": ("Отделение дневного пребывания", "ОДП"),
    "orv": ("Отделение реабилитации для детей и подростков с ограниченными возможностями", "ОРДП"),
}

# username, last name, first name, patronymic, position, department key
STAFF = [
    ("director", "Петрова", "Анна", "Сергеевна", Position.DIRECTOR, None),
    ("admin", "Смирнов", "Олег", "Игоревич", Position.ADMINISTRATOR, None),
    ("registrar", "Воронина", "Елена", "Павловна", Position.REGISTRAR, None),
    ("head1", "Кузнецова", "Ирина", "Владимировна", Position.HEAD, "odp"),
    ("social1", "Морозова", "Ольга", "Николаевна", Position.SOCIAL_WORK_SPECIALIST, "odp"),
    ("psych1", "Соколов", "Дмитрий", "Андреевич", Position.PSYCHOLOGIST, "odp"),
    ("socped1", "Лебедева", "Наталья", "Викторовна", Position.SOCIAL_PEDAGOGUE, "odp"),
    ("nurse1", "Козлова", "Татьяна", "Ивановна", Position.NURSE, "odp"),
    ("teacher1", "Новикова", "Светлана", "Юрьевна", Position.PEDAGOGUE, "odp"),
    ("head2", "Васильев", "Андрей", "Петрович", Position.HEAD, "orv"),
    ("social2", "Фёдорова", "Марина", "Алексеевна", Position.DISTRICT_SOCIAL_WORKER, "orv"),
    ("psych2", "Егорова", "Юлия", "Сергеевна", Position.PSYCHOLOGIST, "orv"),
    ("socped2", "Павлов", "Никита", "Олегович", Position.SOCIAL_PEDAGOGUE, "orv"),
    ("nurse2", "Алексеева", "Людмила", "Геннадьевна", Position.NURSE, "orv"),
    ("teacher2", "Степанова", "Екатерина", "Михайловна", Position.PEDAGOGUE, "orv"),
]


def load(out: TextIO) -> None:
    departments = {}
    for key, (name, short) in DEPARTMENTS.items():
        departments[key], _ = Department.objects.get_or_create(
            name=name, defaults={"short_name": short}
        )
        if not departments[key].does_patronage:  # P12: both demo departments do patronage
            departments[key].does_patronage = True
            departments[key].save(update_fields=["does_patronage"])
    for username, last, first, middle, position, dept in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "last_name": last,
                "first_name": first,
                "patronymic": middle,
                "position": position,
                "department": departments[dept] if dept else None,
                "is_staff": position == Position.ADMINISTRATOR,
                # O31: health procedures (2.2) need medical education, which the nurses have
                "education": Education.MEDICAL if position == Position.NURSE else "",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    for key, beds in DEMO_BEDS.items():  # O36: places for daytime sleep
        if departments[key].beds is None:
            departments[key].beds = beds
            departments[key].save(update_fields=["beds"])
    _qualification_upgrades()
    out.write(f"Сотрудники: {User.objects.count()}, отделения: {Department.objects.count()}\n")


# Beds for daytime sleep per department (O36): the ОРДП's few beds show «мест свободно» low.
DEMO_BEDS = {"odp": 30, "orv": 12}

# O40: completed courses — years ago, so that some are due and some are not.
DEMO_UPGRADES = [
    ("social1", "Технологии социальной работы с семьёй и детьми", 72, 1),
    ("psych1", "Психологическая помощь детям в трудной жизненной ситуации", 108, 4),
    ("head1", "Управление организацией социального обслуживания", 72, 2),
    ("psych2", "Арт-терапия в реабилитации детей с ОВЗ", 36, 2),
    ("nurse2", "Сестринское дело в педиатрии", 144, 5),
]


def _qualification_upgrades() -> None:
    from django.utils import timezone

    from organisation.models import QualificationUpgrade
    from organisation.selectors import anniversary

    today = timezone.localdate()
    for username, course, hours, years_ago in DEMO_UPGRADES:
        employee = User.objects.get(username=username)
        if QualificationUpgrade.objects.filter(employee=employee).exists():
            continue
        completed = anniversary(today, -years_ago)
        QualificationUpgrade.objects.create(
            employee=employee,
            course=course,
            provider="ОГАОУ ДПО «Белгородский институт развития образования»",
            hours=hours,
            started_on=completed.replace(day=1),
            completed_on=completed,
            document=f"удостоверение № 3124000{hours:05d}",
        )


def logins() -> list[tuple[str, str, str]]:
    """The demo staff in the order of STAFF: director, administrator, registrar, then by
    department."""
    users = User.objects.filter(username__in=[s[0] for s in STAFF]).select_related("department")
    by_name = {u.username: u for u in users}
    return [
        (u.username, u.get_position_display(), str(u.department or "—"))
        for u in (by_name.get(s[0]) for s in STAFF)
        if u is not None
    ]
