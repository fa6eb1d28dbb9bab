"""Generate a busy centre on a PostgreSQL database of its own, for measuring pages at scale.

    make bench-data                                   # scale 1 on srcn_bench (see below)
    DEBUG=true .venv/bin/python bench/generate.py --scale 0.1 \\
        --url postgres://postgres@127.0.0.1:5432/srcn_bench_small
    DEBUG=true .venv/bin/python bench/generate.py --recreate  # drop OUR database and start again

Scale 1 is the centre of issue 15: 5,000 children in four departments over three years,
1,000,000 records of the journal of services (a tenth in group sessions), 20,000 appeals with
their cases and visits, diagnostics, ИППСУ with their lines and ИПСРН, in proportion; the
built-in production calendar with its holidays plus two administrator corrections.

Safety. The database is the generator's own: it is named in `--url` (default
`BENCH_DATABASE_URL`, else `postgres://postgres@127.0.0.1:5432/srcn_bench`), its name must contain
"bench", it must differ from `DATABASE_URL`, and the generator creates it and marks it with a
table `srcn_bench_marker`. It refuses a database that exists without that mark (not its own) or
that already holds children (run with `--recreate` to drop its own database and start again).
`DATABASE_URL` is never read for writing: the generator sets it to the bench database for itself.

Inserts go through PostgreSQL's COPY for the journal and `bulk_create` for the rest; at scale 1
it takes a few minutes on a two-core machine.
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/srcn_bench"
MARKER = "srcn_bench_marker"
PASSWORD = "srcn-bench-2026"

MALE_SURNAMES = [
    "Семёнов",
    "Королёв",
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королев",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
]
MALE_NAMES = [
    "Артём",
    "Александр",
    "Максим",
    "Иван",
    "Дмитрий",
    "Никита",
    "Михаил",
    "Даниил",
    "Егор",
    "Кирилл",
    "Андрей",
    "Илья",
    "Алексей",
    "Роман",
    "Сергей",
    "Фёдор",
    "Пётр",
    "Семён",
    "Матвей",
    "Тимофей",
    "Глеб",
    "Лев",
    "Марк",
    "Степан",
]
FEMALE_NAMES = [
    "Алёна",
    "Анастасия",
    "Мария",
    "Анна",
    "Виктория",
    "Полина",
    "Елизавета",
    "Екатерина",
    "Дарья",
    "Софья",
    "Варвара",
    "Ксения",
    "Алиса",
    "Вероника",
    "Арина",
    "Ульяна",
    "Таисия",
    "Милана",
    "Василиса",
    "Ева",
    "Олёна",
    "Юлия",
    "Ольга",
    "Татьяна",
]
FATHER_NAMES = [
    "Сергей",
    "Александр",
    "Андрей",
    "Алексей",
    "Дмитрий",
    "Евгений",
    "Иван",
    "Михаил",
    "Пётр",
    "Фёдор",
    "Артём",
    "Николай",
    "Владимир",
    "Олег",
    "Юрий",
    "Игорь",
    "Виктор",
    "Семён",
]
DEPARTMENTS = [
    ("Отделение дневного пребывания", "ОДП", True),
    ("Отделение реабилитации детей с ограниченными возможностями", "ОРДОВ", True),
    ("Отделение социальной диагностики и социально-правовой помощи", "ОСД", False),
    ("Отделение психолого-педагогической помощи", "ОППП", False),
    ("Отделение профилактики безнадзорности", "ОПБ", True),
]
SPECIALIST_POSITIONS = [
    "social_work_specialist",
    "district_social_worker",
    "psychologist",
    "social_pedagogue",
    "nurse",
    "pedagogue",
]
STREETS = ["Садовая", "Победы", "Ленина", "Мира", "Щорса", "Харьковская", "Губкина", "Есенина"]
CONTENTS = [
    "Просит помощи в оформлении пособий.",
    "Сообщение о ненадлежащем исполнении родительских обязанностей.",
    "Семья в трудной жизненной ситуации: потеря работы, задолженность за жильё.",
    "Ребёнок систематически пропускает занятия в школе.",
    "Просит консультации психолога для ребёнка.",
    "Информация КДН и ЗП о семье, находящейся в социально опасном положении.",
]
SENDERS = [
    "КДН и ЗП администрации города",
    "ОДН ОМВД России по городу",
    "МБОУ «СОШ № 5»",
    "ОГБУЗ «Детская областная клиническая больница»",
    "Управление социальной защиты населения",
    "лично",
]


# The parts generated after the journal, appeals and rehabilitation; `--reuse` adds each one whose
# table is empty to a centre generated before it existed.
EXTRA_STEPS = ("orders", "consilium", "consents", "notifications")


def _model(label: str) -> Any:
    def get() -> Any:
        from django.apps import apps

        return apps.get_model(label)

    return get


EXTRA_MODELS = {
    "orders": _model("orders.Order"),
    "consilium": _model("consilium.Meeting"),
    "consents": _model("recipients.Consent"),
    "notifications": _model("organisation.Notification"),
}

# ---------------------------------------------------------------------------------------------
# The database: ours or nothing


class Refused(SystemExit):
    pass


def _dbname(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def configured_database_url() -> str:
    """DATABASE_URL as the application would read it: the environment, else `.env`."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    env_file = ROOT / ".env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "DATABASE_URL":
                return value.strip().strip("'\"")
    return ""


def prepare_database(url: str, *, recreate: bool, configured_url: str, reuse: bool = False) -> bool:
    """Create the bench database, or check that an existing one is ours and empty. Returns
    False when `reuse` is set and our database already holds a generated centre."""
    import psycopg
    from psycopg import sql

    if not url.startswith(("postgres://", "postgresql://")):
        raise Refused(f"Нужна база PostgreSQL, а не {url!r}.")
    name = _dbname(url)
    if "bench" not in name:
        raise Refused(f"База {name!r}: имя базы для генератора должно содержать «bench».")
    if configured_url and urlsplit(configured_url)._replace(scheme="") == urlsplit(url)._replace(
        scheme=""
    ):
        raise Refused(f"База {name!r} указана в DATABASE_URL: генератор её не трогает.")
    with psycopg.connect(_libpq(_with_db(url, "postgres")), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(_libpq(url), autocommit=True) as conn:
                ours = conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()
                if not ours or ours[0] is None:
                    raise Refused(
                        f"База {name!r} существует и создана не генератором (нет {MARKER}): "
                        "отказ. Укажите другое имя в --url."
                    )
                has_children = conn.execute(
                    "SELECT to_regclass('recipients_recipient') IS NOT NULL"
                    " AND EXISTS (SELECT 1 FROM recipients_recipient)"
                ).fetchone()
            if has_children and has_children[0] and reuse and not recreate:
                print(f"database {name} already holds a generated centre: reused")
                return False
            if has_children and has_children[0] and not recreate:
                raise Refused(
                    f"База {name!r} уже содержит данные. Чтобы создать её заново: --recreate."
                )
            if has_children and has_children[0]:
                admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
                exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            with psycopg.connect(_libpq(url), autocommit=True) as conn:
                conn.execute(
                    sql.SQL(
                        "CREATE TABLE {} (created_at timestamptz NOT NULL DEFAULT now())"
                    ).format(sql.Identifier(MARKER))
                )
                conn.execute(
                    sql.SQL("INSERT INTO {} DEFAULT VALUES").format(sql.Identifier(MARKER))
                )
            print(f"created database {name}")
    return True


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--recreate", action="store_true", help="drop OUR database first")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep our database if it already holds a centre; add the parts it lacks "
        "(orders, consilium, consents, notifications)",
    )
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()

    try:
        fresh = prepare_database(
            args.url,
            recreate=args.recreate,
            configured_url=configured_database_url(),
            reuse=args.reuse,
        )
    except Refused as exc:
        print(exc.code, file=sys.stderr)
        sys.exit(2)
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DEBUG", "true")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t0:.0f} s")
    if fresh:
        Generator(scale=args.scale, seed=args.seed).run()
    else:
        Generator(scale=args.scale, seed=args.seed).extend()


def step(label: str):  # type: ignore[no-untyped-def]
    def wrap(fn):  # type: ignore[no-untyped-def]
        def inner(self, *a, **kw):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            result = fn(self, *a, **kw)
            print(f"  {label:<40} {time.perf_counter() - t:6.1f} s")
            return result

        return inner

    return wrap


class Generator:
    def __init__(self, *, scale: float, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = date.today()
        self.start = self.today - timedelta(days=3 * 365)
        self.n_children = max(20, round(5_000 * scale))
        self.n_records = max(200, round(1_000_000 * scale))
        self.n_appeals = max(20, round(20_000 * scale))
        self.n_departments = 4 if scale >= 0.2 else 2

    def run(self) -> None:
        from django.db import transaction

        t0 = time.perf_counter()
        with transaction.atomic():
            self.calendar()
            self.staff()
            self.children()
            self.service_programmes()
            self.journal()
            self.appeals()
            self.rehab()
            for name in EXTRA_STEPS:
                getattr(self, name)()
        self.analyse()
        print(
            f"generated in {time.perf_counter() - t0:.0f} s: {self.n_children} children, "
            f"{self.n_records} journal records, {self.n_appeals} appeals; "
            f"logins: bench_director, bench_registrar, bench_head1, bench_psychologist1_1 … "
            f"(password {PASSWORD})"
        )

    # --- reference ----------------------------------------------------------------------------

    @step("calendar corrections, working days")
    def calendar(self) -> None:
        from organisation import calendar
        from organisation.models import CalendarDay

        year = self.today.year
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(date=date(year - 1, 12, 29), is_working=False, note="приказ директора"),
                CalendarDay(date=date(year - 2, 6, 11), is_working=False, note="приказ директора"),
            ],
            ignore_conflicts=True,
        )
        # bulk_create sends no signal: bring the working-day table the SQL joins in step with
        # the corrections, as the admin does (else the SQL terms and the Python ones differ)
        calendar.sync_days()
        day, self.working_days = self.start, []
        while day <= self.today:
            if calendar.is_working_day(day):
                self.working_days.append(day)
            day += timedelta(days=1)
        self.day_index = {d: i for i, d in enumerate(self.working_days)}

    @step("departments and staff")
    def staff(self) -> None:
        from django.contrib.auth.hashers import make_password

        from organisation.models import Department, User

        password = make_password(PASSWORD)
        self.departments = []
        for _i, (name, short, patronage) in enumerate(DEPARTMENTS[: self.n_departments], 1):
            dept, _ = Department.objects.update_or_create(
                name=name, defaults={"short_name": short, "does_patronage": patronage}
            )
            self.departments.append(dept)
        users = [
            User(
                username="bench_director",
                position="director",
                last_name="Петрова",
                first_name="Анна",
                patronymic="Сергеевна",
                password=password,
            ),
            User(
                username="bench_registrar",
                position="registrar",
                last_name="Лебедева",
                first_name="Ольга",
                patronymic="Ивановна",
                password=password,
            ),
            User(
                username="bench_admin",
                position="administrator",
                last_name="Зайцев",
                first_name="Игорь",
                patronymic="Олегович",
                password=password,
            ),
        ]
        for d, dept in enumerate(self.departments, 1):
            users.append(
                User(
                    username=f"bench_head{d}",
                    position="head",
                    department=dept,
                    last_name=self.rng.choice(MALE_SURNAMES) + "а",
                    first_name="Елена",
                    patronymic="Викторовна",
                    password=password,
                )
            )
            for position in SPECIALIST_POSITIONS:
                for k in (1, 2):
                    users.append(
                        User(
                            username=f"bench_{position}{d}_{k}",
                            position=position,
                            department=dept,
                            last_name=self.rng.choice(MALE_SURNAMES) + "а",
                            first_name=self.rng.choice(FEMALE_NAMES),
                            patronymic=self.rng.choice(FATHER_NAMES) + "овна",
                            password=password,
                        )
                    )
        User.objects.bulk_create(users)
        saved = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
        self.director = saved["bench_director"]
        self.registrar = saved["bench_registrar"]
        self.heads = {d.pk: saved[f"bench_head{i}"] for i, d in enumerate(self.departments, 1)}
        self.specialists: dict[int, list[Any]] = defaultdict(list)
        for u in saved.values():
            if u.position in SPECIALIST_POSITIONS:
                self.specialists[u.department_id].append(u)

    # --- children ------------------------------------------------------------------------------

    def _address(self) -> str:
        return f"г. Белгород, ул. {self.rng.choice(STREETS)}, д. {self.rng.randint(1, 120)}"

    def _person(self, sex: str) -> tuple[str, str, str]:
        surname = self.rng.choice(MALE_SURNAMES)
        father = self.rng.choice(FATHER_NAMES)
        base = father[:-1] + "е" if father.endswith("й") else father
        if sex == "male":
            return (
                surname,
                self.rng.choice(MALE_NAMES),
                base + ("вич" if father.endswith("й") else "ович"),
            )
        return (
            surname + "а",
            self.rng.choice(FEMALE_NAMES),
            base + ("вна" if father.endswith("й") else "овна"),
        )

    @step("families and children")
    def children(self) -> None:
        from recipients.models import Family, Recipient

        rng = self.rng
        families = []
        n_families = round(self.n_children / 1.6)
        for i in range(n_families):
            dept = rng.choice(self.departments)
            families.append(
                Family(
                    name=f"Семья {rng.choice(MALE_SURNAMES)}ых № {i + 1}",
                    department=dept,
                    address=f"г. Белгород, ул. {rng.choice(STREETS)}, д. {rng.randint(1, 120)}",
                )
            )
        for f in families:
            f.search_text = f.build_search_text()
        self.families = Family.objects.bulk_create(families, batch_size=2000)
        children = []
        span = (self.today - self.start).days
        for i in range(self.n_children):
            family = self.families[i % n_families] if i < n_families else rng.choice(self.families)
            sex = rng.choice(("male", "female"))
            last, first, patronymic = self._person(sex)
            first_day = self.start + timedelta(days=rng.randint(0, span))
            stay = rng.randint(60, 400)
            discharged = first_day + timedelta(days=stay)
            # The state is derived from the dates: in service from the first day (never after
            # today here), discharged after the last day, an applicant without a first day.
            first_day_or_none: date | None = first_day
            if discharged >= self.today - timedelta(days=5):
                discharged = None
            if rng.random() < 0.03:
                first_day_or_none, discharged = None, None
            child = Recipient(
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                sex=sex,
                birth_date=self.today - timedelta(days=rng.randint(3 * 365, 17 * 365 + 300)),
                family=family,
                department_id=family.department_id,
                first_day_of_stay=first_day_or_none,
                discharged_on=discharged,
                snils="",
            )
            child.search_text = child.build_search_text(family.name)
            children.append(child)
        self.recipients = Recipient.objects.bulk_create(children, batch_size=2000)
        self.stayed = [r for r in self.recipients if r.first_day_of_stay]

    def _stay_days(self, r: Any) -> list[date]:
        end = r.discharged_on or self.today
        lo = self._index_from(r.first_day_of_stay)
        hi = self._index_from(end + timedelta(days=1))
        return self.working_days[lo:hi]

    def _index_from(self, d: date) -> int:
        while d not in self.day_index and d <= self.today:
            d += timedelta(days=1)
        return self.day_index.get(d, len(self.working_days))

    # --- ИППСУ and the journal -----------------------------------------------------------------

    @step("ИППСУ and their lines")
    def service_programmes(self) -> None:
        from services.models import IndividualProgramme, ProgrammeLine, Service

        services = list(Service.objects.filter(is_leaf=True, is_active=True).order_by("code"))
        self.services = services[:60] or services
        programmes = [
            IndividualProgramme(
                recipient=r,
                number=f"{r.pk}",
                drawn_up_on=r.first_day_of_stay,
                valid_from=r.first_day_of_stay,
                valid_until=None if r.discharged_on is None else r.discharged_on,
            )
            for r in self.stayed
        ]
        programmes = IndividualProgramme.objects.bulk_create(programmes, batch_size=2000)
        lines = []
        for p in programmes:
            for s in self.rng.sample(
                self.services, k=min(len(self.services), self.rng.randint(5, 8))
            ):
                lines.append(
                    ProgrammeLine(programme=p, service=s, count=self.rng.randint(1, 3), per="week")
                )
        lines = ProgrammeLine.objects.bulk_create(lines, batch_size=5000)
        self.lines: dict[int, list[Any]] = defaultdict(list)
        by_programme = {p.pk: p.recipient_id for p in programmes}
        for line in lines:
            self.lines[by_programme[line.programme_id]].append(line)

    def _duration(self, service: Any) -> int:
        lo = service.min_minutes or 15
        hi = max(lo, min(service.max_minutes or 45, 60))
        return self.rng.randint(lo, hi)

    @step("journal of services (COPY)")
    def journal(self) -> None:
        from django.db import connection
        from django.utils import timezone

        from services.models import GroupSession, ServiceRecord

        rng = self.rng
        now = timezone.now()
        weights = [len(self._stay_days(r)) for r in self.stayed]
        total_days = sum(weights) or 1
        group_share = 0.1
        individual_total = round(self.n_records * (1 - group_share))

        # Group sessions: 4–8 children of a department present that day.
        by_dept: dict[int, list[Any]] = defaultdict(list)
        for r in self.stayed:
            by_dept[r.department_id].append(r)
        sessions, members = [], []
        group_target = self.n_records - individual_total
        while len(members) < group_target:
            dept_id = rng.choice(list(by_dept))
            day = rng.choice(self.working_days)
            present = [
                r
                for r in rng.sample(by_dept[dept_id], k=min(60, len(by_dept[dept_id])))
                if r.first_day_of_stay <= day and (r.discharged_on or self.today) >= day
            ][: rng.randint(4, 8)]
            if len(present) < 2:
                continue
            service = rng.choice(self.services)
            provider = rng.choice(self.specialists[dept_id])
            minutes = self._duration(service)
            start = dtime(rng.randint(9, 16), rng.choice((0, 30)))
            sessions.append(
                GroupSession(
                    department_id=dept_id,
                    service=service,
                    provider=provider,
                    date=day,
                    start_time=start,
                    duration_minutes=minutes,
                )
            )
            members.append((len(sessions) - 1, present))
            members_count = sum(len(p) for _, p in members)
            if members_count >= group_target:
                break
        sessions = GroupSession.objects.bulk_create(sessions, batch_size=5000)

        columns = [
            "created_at",
            "updated_at",
            "recipient_id",
            "department_id",
            "service_id",
            "provider_id",
            "date",
            "start_time",
            "duration_minutes",
            "notes",
            "group_id",
            "programme_line_id",
            "reason_outside_programme",
            "source",
            "status",
            "cancelled_at",
            "cancellation_reason",
        ]
        table = ServiceRecord._meta.db_table
        raw = connection.connection
        written = 0
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for index, present in members:
                s = sessions[index]
                for r in present:
                    copy.write_row(
                        (
                            now,
                            now,
                            r.pk,
                            s.department_id,
                            s.service_id,
                            s.provider_id,
                            s.date,
                            s.start_time,
                            s.duration_minutes,
                            "",
                            s.pk,
                            None,
                            "групповое занятие",
                            "",
                            "done",
                            None,
                            "",
                        )
                    )
                    written += 1
            for r, w in zip(self.stayed, weights, strict=True):
                days = self._stay_days(r)
                if not days:
                    continue
                n = round(individual_total * w / total_days)
                lines = self.lines.get(r.pk, [])
                staff = self.specialists[r.department_id]
                for _ in range(n):
                    day = rng.choice(days)
                    line = rng.choice(lines) if lines and rng.random() < 0.85 else None
                    service = line.service if line else rng.choice(self.services)
                    cancelled = rng.random() < 0.01
                    copy.write_row(
                        (
                            now,
                            now,
                            r.pk,
                            r.department_id,
                            service.pk,
                            rng.choice(staff).pk,
                            day,
                            dtime(rng.randint(8, 17), rng.choice((0, 15, 30, 45))),
                            self._duration(service),
                            "" if rng.random() < 0.9 else "Занятие проведено по плану.",
                            None,
                            line.pk if line else None,
                            "" if line else "по обращению законного представителя",
                            "",
                            "cancelled" if cancelled else "done",
                            now if cancelled else None,
                            "внесена ошибочно" if cancelled else "",
                        )
                    )
                    written += 1
        self.n_records = written

    # --- patronage -----------------------------------------------------------------------------

    @step("appeals, cases, visits")
    def appeals(self) -> None:
        from django.utils import timezone

        from organisation import calendar
        from organisation.models import NumberSeries, YearlyCounter
        from patronage.models import Appeal, PatronageCase, Visit

        rng = self.rng
        patronage_depts = [d for d in self.departments if d.does_patronage] or self.departments
        span = (self.today - self.start).days
        appeals = []
        for _ in range(self.n_appeals):
            received = self.start + timedelta(days=rng.randint(0, span))
            dept = rng.choice(patronage_depts)
            roll = rng.random()
            if roll < 0.9:
                registered = calendar.add_working_days(received, rng.randint(0, 2))
            elif roll < 0.97:
                registered = received + timedelta(days=rng.randint(4, 12))
            else:
                registered = None
            if registered and registered > self.today:
                registered = None
            appeals.append(
                Appeal(
                    channel=rng.choice(("reception", "reception", "phone")),
                    ground=rng.choice(("prevention_body", "personal", "citizen", "director_plan")),
                    department=dept,
                    received_on=received,
                    sender=rng.choice(SENDERS),
                    family_name=f"семья {self._person('male')[0]}ых",
                    family_address=self._address(),
                    content=rng.choice(CONTENTS),
                    registered_on=registered,
                    registered_by=self.registrar if registered else None,
                )
            )
        for a in appeals:
            a.search_text = a.build_search_text()
        appeals.sort(key=lambda a: (a.registered_on or date.max, a.received_on))
        last: dict[int, int] = defaultdict(int)
        for a in appeals:
            if a.registered_on:
                last[a.registered_on.year] += 1
                a.year, a.number = a.registered_on.year, last[a.registered_on.year]
        appeals = Appeal.objects.bulk_create(appeals, batch_size=5000)
        YearlyCounter.objects.bulk_create(
            [
                YearlyCounter(series=NumberSeries.APPEAL, year=y, last_number=n)
                for y, n in last.items()
            ]
        )

        families_by_dept: dict[int, list[Any]] = defaultdict(list)
        for f in self.families:
            families_by_dept[f.department_id].append(f)
        cases, case_appeals = [], []
        used_families: set[int] = set()
        for a in appeals:
            if not a.registered_on or rng.random() > 0.35:
                continue
            pool = families_by_dept.get(a.department_id) or []
            if not pool:
                continue
            family = rng.choice(pool)
            if family.pk in used_families:
                continue
            used_families.add(family.pk)
            opened = a.registered_on
            closed = opened + timedelta(days=rng.randint(60, 300))
            cases.append(
                PatronageCase(
                    family=family,
                    specialist=rng.choice(self.specialists[a.department_id]),
                    opened_on=opened,
                    closed_on=closed if closed < self.today else None,
                    closing_reason="цели патронажа достигнуты" if closed < self.today else "",
                )
            )
            case_appeals.append(a)
        cases = PatronageCase.objects.bulk_create(cases, batch_size=5000)
        for case, a in zip(cases, case_appeals, strict=True):
            a.case = case
        # The other appeals of a working centre are about families already under patronage: each
        # joins the department's case opened last before it. Only the last fortnight's appeals
        # and one in fifty older ones still wait for their case (the P4 items of a real centre).
        opened: dict[int, list[Any]] = defaultdict(list)
        for case in sorted(cases, key=lambda c: c.opened_on):
            opened[case.family.department_id].append(case)
        starts = {d: [c.opened_on for c in cs] for d, cs in opened.items()}
        recent = self.today - timedelta(days=14)
        for a in appeals:
            if a.case_id or not a.registered_on:
                continue
            if a.registered_on >= recent or rng.random() < 0.02:
                continue
            i = bisect.bisect_right(starts.get(a.department_id, []), a.registered_on)
            if i:
                a.case = opened[a.department_id][i - 1]
                case_appeals.append(a)
        Appeal.objects.bulk_update(case_appeals, ["case"], batch_size=5000)

        visits = []
        for case in cases:
            first = case.opened_on + timedelta(days=rng.choice((1, 2, 3, 3, 4, 4, 6)))
            end = case.closed_on or self.today
            dates = [
                first,
                *sorted(
                    first + timedelta(days=rng.randint(14, max(15, (end - first).days)))
                    for _ in range(rng.randint(0, 4))
                ),
            ]
            for i, d in enumerate(dates):
                done = d <= self.today
                visits.append(
                    Visit(
                        case=case,
                        kind="primary" if i == 0 else "planned",
                        status="completed" if done else "planned",
                        specialist=case.specialist,
                        planned_on=d,
                        purpose="" if i == 0 else "контроль выполнения рекомендаций",
                        visited_on=d if done else None,
                        methods=["conversation", "observation"] if done else [],
                        explanation="Семья ознакомлена с целями патронажа." if done else "",
                        minutes_preparation=30 if done else None,
                        minutes_work=60 if done else None,
                        minutes_completion=15 if done else None,
                        completed_at=timezone.make_aware(datetime.combine(d, dtime(15)))
                        if done
                        else None,
                        review_status="accepted"
                        if done and d < self.today - timedelta(days=10)
                        else "pending",
                        reviewed_by=self.heads[case.family.department_id]
                        if done and d < self.today - timedelta(days=10)
                        else None,
                    )
                )
        Visit.objects.bulk_create(visits, batch_size=5000)
        print(f"    {len(cases)} cases, {len(visits)} visits")

    # --- diagnostics and the ИПСРН --------------------------------------------------------------

    @step("diagnostics and ИПСРН")
    def rehab(self) -> None:
        from organisation import calendar
        from rehab_programs.models import Diagnostic, RehabProgramme

        rng = self.rng
        diagnostics, programmes = [], []
        areas = ("psychological", "pedagogical", "social", "medical")
        for r in self.stayed:
            staff = self.specialists[r.department_id]
            primary_on = calendar.add_working_days(r.first_day_of_stay, rng.randint(1, 12))
            if primary_on > self.today:
                continue
            for area in areas:
                diagnostics.append(
                    Diagnostic(
                        recipient=r,
                        stage="primary",
                        area=area,
                        conducted_on=primary_on,
                        conducted_by=rng.choice(staff),
                        methods="наблюдение, беседа",
                        results="Выявлены трудности адаптации.",
                    )
                )
            if r.discharged_on:
                for area in areas:
                    diagnostics.append(
                        Diagnostic(
                            recipient=r,
                            stage="final",
                            area=area,
                            conducted_on=r.discharged_on - timedelta(days=7),
                            conducted_by=rng.choice(staff),
                            methods="наблюдение",
                            results="Положительная динамика.",
                        )
                    )
            drawn = calendar.add_working_days(primary_on, rng.randint(2, 12))
            if drawn <= self.today:
                programmes.append(
                    RehabProgramme(
                        recipient=r,
                        drawn_up_on=drawn,
                        curator=rng.choice(staff),
                        goal="Социальная адаптация и восстановление детско-родительских отношений.",
                    )
                )
        Diagnostic.objects.bulk_create(diagnostics, batch_size=5000)
        RehabProgramme.objects.bulk_create(programmes, batch_size=5000)
        print(f"    {len(diagnostics)} diagnostics, {len(programmes)} ИПСРН")

    # --- the parts added to an existing centre with --reuse ----------------------------------

    def extend(self) -> None:
        """A centre generated before these steps existed: add each part whose table is empty,
        reading the staff, the children and the calendar from the database."""
        from django.db import transaction

        from organisation.models import Department, User
        from recipients.models import Recipient

        missing = [name for name in EXTRA_STEPS if not EXTRA_MODELS[name]().objects.exists()]
        if not missing:
            print("every part is there: nothing to add")
            return
        t0 = time.perf_counter()
        self.calendar()
        self.departments = list(Department.objects.order_by("pk"))
        saved = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
        self.director = saved["bench_director"]
        self.registrar = saved["bench_registrar"]
        self.heads = {
            d.pk: saved[f"bench_head{i}"]
            for i, d in enumerate(self.departments, 1)
            if f"bench_head{i}" in saved
        }
        self.specialists = defaultdict(list)
        for u in sorted(saved.values(), key=lambda u: u.pk):
            if u.position in SPECIALIST_POSITIONS:
                self.specialists[u.department_id].append(u)
        self.recipients = list(Recipient.objects.order_by("pk"))
        self.stayed = [r for r in self.recipients if r.first_day_of_stay]
        with transaction.atomic():
            for name in missing:
                getattr(self, name)()
        self.analyse()
        print(f"added {', '.join(missing)} in {time.perf_counter() - t0:.0f} s")

    @step("orders: approved, returned, drafts")
    def orders(self) -> None:
        """An approved enrolment order for every stay and an approved discharge order for every
        discharge (numbered within the year in the order of signing); a returned order before
        one enrolment in thirty; drafts waiting for the director: enrolment of most applicants,
        discharge of a few enrolled."""
        from django.utils import timezone

        from orders.models import Order, OrderKind, OrderStatus
        from organisation.models import NumberSeries, YearlyCounter

        rng = self.rng
        orders = []

        def decided(d: date) -> datetime:
            return timezone.make_aware(datetime.combine(d, dtime(rng.randint(9, 17), 0)))

        for r in self.stayed:
            head = self.heads.get(r.department_id, self.director)
            signed = r.first_day_of_stay - timedelta(days=rng.choice((0, 0, 1, 2)))
            if rng.random() < 1 / 30:
                orders.append(
                    Order(
                        kind=OrderKind.ENROLMENT,
                        recipient=r,
                        status=OrderStatus.RETURNED,
                        effective_on=r.first_day_of_stay,
                        grounds="заявление законного представителя",
                        drafted_by=head,
                        decided_by=self.director,
                        decided_at=decided(signed - timedelta(days=2)),
                        return_reason="Не приложено заключение о нуждаемости.",
                    )
                )
            orders.append(
                Order(
                    kind=OrderKind.ENROLMENT,
                    recipient=r,
                    status=OrderStatus.APPROVED,
                    effective_on=r.first_day_of_stay,
                    grounds="заявление законного представителя, ИППСУ",
                    drafted_by=head,
                    signed_on=signed,
                    decided_by=self.director,
                    decided_at=decided(signed),
                )
            )
            if r.discharged_on:
                orders.append(
                    Order(
                        kind=OrderKind.DISCHARGE,
                        recipient=r,
                        status=OrderStatus.APPROVED,
                        effective_on=r.discharged_on,
                        grounds=rng.choice(
                            (
                                "окончание срока предоставления услуг по ИППСУ",
                                "окончание срока предоставления услуг по ИППСУ",
                                "письменное заявление законного представителя об отказе",
                            )
                        ),
                        drafted_by=head,
                        signed_on=r.discharged_on,
                        decided_by=self.director,
                        decided_at=decided(r.discharged_on),
                    )
                )
            elif rng.random() < 0.03:
                orders.append(
                    Order(
                        kind=OrderKind.DISCHARGE,
                        recipient=r,
                        effective_on=self.today + timedelta(days=rng.randint(1, 10)),
                        grounds="окончание срока предоставления услуг по ИППСУ",
                        drafted_by=head,
                    )
                )
        for r in self.recipients:
            if r.is_applicant and rng.random() < 0.6:
                orders.append(
                    Order(
                        kind=OrderKind.ENROLMENT,
                        recipient=r,
                        effective_on=self.today + timedelta(days=rng.randint(1, 7)),
                        grounds="заявление законного представителя",
                        drafted_by=self.heads.get(r.department_id, self.director),
                    )
                )
        numbered = sorted(
            (o for o in orders if o.status == OrderStatus.APPROVED),
            key=lambda o: (o.signed_on, o.kind != OrderKind.DISCHARGE, o.recipient.pk),
        )
        last: dict[int, int] = defaultdict(int)
        for o in numbered:
            last[o.signed_on.year] += 1
            o.year, o.number = o.signed_on.year, last[o.signed_on.year]
        Order.objects.bulk_create(orders, batch_size=5000)
        YearlyCounter.objects.bulk_create(
            [
                YearlyCounter(series=NumberSeries.ORDER, year=y, last_number=n)
                for y, n in last.items()
            ],
            ignore_conflicts=True,
        )
        drafts = sum(o.status == OrderStatus.DRAFT for o in orders)
        print(f"    {len(orders)} orders ({len(numbered)} approved, {drafts} drafts)")

    @step("consilium: meetings, agenda, decisions")
    def consilium(self) -> None:
        """One membership (the director's order); a meeting of each department every two weeks;
        each ИПСРН on the agenda of the first meeting after it is drawn up (approve), then about
        every quarter (continue, or amend one time in five), and before a discharge (discharge,
        with its ground)."""
        import bisect

        from consilium.models import (
            AgendaItem,
            Composition,
            Decision,
            DecisionKind,
            DischargeGround,
            Meeting,
            Member,
            MemberRole,
        )
        from organisation.models import NumberSeries, YearlyCounter
        from rehab_programs.models import RehabProgramme

        rng = self.rng
        composition = Composition.objects.create(
            order_number="15-о", order_date=self.start, approved_by=self.director
        )
        members = [Member(composition=composition, user=self.director, role=MemberRole.CHAIR)]
        first_head = next(iter(self.heads.values()), None)
        if first_head is not None:
            members.append(
                Member(composition=composition, user=first_head, role=MemberRole.SECRETARY)
            )
        for head in list(self.heads.values())[1:]:
            members.append(Member(composition=composition, user=head, role=MemberRole.MEMBER))
        for staff in self.specialists.values():
            members.append(Member(composition=composition, user=staff[0], role=MemberRole.MEMBER))
        Member.objects.bulk_create(members)

        meetings = []
        for dept in self.departments:
            d = self.start + timedelta(days=rng.randint(0, 13))
            while d <= self.today:
                day = self.working_days[min(self._index_from(d), len(self.working_days) - 1)]
                meetings.append(
                    Meeting(
                        department=dept,
                        held_on=day,
                        composition=composition,
                        prepared_by=self.heads.get(dept.pk, self.director),
                    )
                )
                d += timedelta(days=14)
        meetings.sort(key=lambda m: (m.held_on, m.department_id))
        last: dict[int, int] = defaultdict(int)
        for m in meetings:
            last[m.held_on.year] += 1
            m.year, m.number = m.held_on.year, last[m.held_on.year]
        meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
        YearlyCounter.objects.bulk_create(
            [
                YearlyCounter(series=NumberSeries.PROTOCOL, year=y, last_number=n)
                for y, n in last.items()
            ],
            ignore_conflicts=True,
        )
        by_dept: dict[int, list[Any]] = defaultdict(list)
        for m in meetings:
            by_dept[m.department_id].append(m)
        days = {k: [m.held_on for m in v] for k, v in by_dept.items()}

        def meeting_on_or_after(dept_id: int, d: date) -> Any:
            i = bisect.bisect_left(days[dept_id], d)
            return by_dept[dept_id][i] if i < len(days[dept_id]) else None

        recipients = {r.pk: r for r in self.stayed}
        plans: list[tuple[Any, Any, str]] = []  # (meeting, recipient, decision kind)
        for rid, drawn in RehabProgramme.objects.values_list("recipient_id", "drawn_up_on"):
            r = recipients.get(rid)
            if r is None or r.department_id not in by_dept:
                continue
            end = r.discharged_on or self.today
            m = meeting_on_or_after(r.department_id, drawn)
            kind = DecisionKind.APPROVE
            while m is not None and m.held_on <= end:
                plans.append((m, r, kind))
                nxt = m.held_on + timedelta(days=rng.randint(75, 92))
                if r.discharged_on and nxt >= r.discharged_on - timedelta(days=10):
                    before = meeting_on_or_after(r.department_id, r.discharged_on - timedelta(14))
                    if before is not None and before.held_on > m.held_on:
                        plans.append((before, r, DecisionKind.DISCHARGE))
                    break
                m = meeting_on_or_after(r.department_id, nxt)
                kind = DecisionKind.AMEND if rng.random() < 0.2 else DecisionKind.CONTINUE
        positions: dict[int, int] = defaultdict(int)
        items = []
        for m, r, _kind in plans:
            positions[m.pk] += 1
            items.append(
                AgendaItem(
                    meeting=m,
                    position=positions[m.pk],
                    recipient=r,
                    inputs="Результаты диагностики, мнение ребёнка, выступления специалистов.",
                )
            )
        items = AgendaItem.objects.bulk_create(items, batch_size=5000)
        decisions = []
        for item, (m, _r, kind) in zip(items, plans, strict=True):
            decisions.append(
                Decision(
                    item=item,
                    kind=kind,
                    changes="Добавлены занятия с педагогом-психологом."
                    if kind == DecisionKind.AMEND
                    else "",
                    ground=(
                        DischargeGround.TERM_END if rng.random() < 0.85 else DischargeGround.REFUSAL
                    )
                    if kind == DecisionKind.DISCHARGE
                    else "",
                    text=DecisionKind(kind).label.capitalize() + ".",
                    recorded_by=m.prepared_by,
                )
            )
        Decision.objects.bulk_create(decisions, batch_size=5000)
        print(f"    {len(meetings)} meetings, {len(items)} agenda items and decisions")

    @step("consents to the processing of data")
    def consents(self) -> None:
        """One consent per child with a stay, given on the first day; one in twenty withdrawn;
        one in five also covers a transfer to named third parties, one in ten the website."""
        from recipients.models import Consent

        rng = self.rng
        consents = []
        for r in self.stayed:
            withdrawn = None
            if rng.random() < 0.05:
                withdrawn = min(self.today, r.first_day_of_stay + timedelta(rng.randint(20, 300)))
            consents.append(
                Consent(
                    recipient=r,
                    given_on=r.first_day_of_stay,
                    covers_processing=True,
                    third_parties="Управление социальной защиты населения"
                    if rng.random() < 0.2
                    else "",
                    covers_website=rng.random() < 0.1,
                    withdrawn_on=withdrawn,
                    withdrawal_note="заявление законного представителя" if withdrawn else "",
                )
            )
        Consent.objects.bulk_create(consents, batch_size=5000)
        print(f"    {len(consents)} consents")

    @step("notifications")
    def notifications(self) -> None:
        """The bell of a year: for every member of staff about two notifications a working day
        (deadlines due soon and overdue, workflow events), three in four read."""
        from django.utils import timezone

        from organisation.models import Notification as N
        from organisation.models import NotificationEvent

        rng = self.rng
        users = [self.director, *self.heads.values()]
        for staff in self.specialists.values():
            users.extend(staff)
        year_days = [d for d in self.working_days if d > self.today - timedelta(days=365)]
        kinds = [
            ("first_visit", "Первичный патронаж семьи"),
            ("visit_review", "Проверка записи о патронаже"),
            ("primary_diagnostics", "Первичная диагностика"),
            ("rehab_programme", "Разработка ИПСРН"),
            ("revision", "Пересмотр ИПСРН"),
            ("order", "Приказ"),
        ]
        events = [
            NotificationEvent.DUE_SOON,
            NotificationEvent.DUE_SOON,
            NotificationEvent.OVERDUE,
            NotificationEvent.APPROVED,
            NotificationEvent.RETURNED,
        ]
        per_user = max(5, round(2 * len(year_days) * min(1.0, self.scale)))
        rows, n = [], 0
        for u in users:
            for _ in range(per_user):
                n += 1
                code, label = rng.choice(kinds)
                event = rng.choice(events)
                due = rng.choice(year_days)
                created = timezone.make_aware(
                    datetime.combine(due - timedelta(days=rng.randint(0, 3)), dtime(7, 0))
                )
                rows.append(
                    N(
                        user=u,
                        kind=code,
                        item_key=f"bench:{n}",
                        event=event,
                        due=due,
                        message=f"{label}: {NotificationEvent(event).label}, срок {due:%d.%m.%Y}.",
                        url="/deadlines/",
                        created_at=created,
                        read_at=created + timedelta(hours=3)
                        if due < self.today - timedelta(days=7) or rng.random() < 0.5
                        else None,
                    )
                )
        N.objects.bulk_create(rows, batch_size=5000)
        print(f"    {len(rows)} notifications for {len(users)} members of staff")

    def analyse(self) -> None:
        """VACUUM sets the visibility map, so the journal's reports read its covering indexes
        only (an index-only scan) as they would on a database in use; ANALYZE the statistics."""
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
