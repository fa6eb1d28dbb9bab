"""Every list page, dashboard and report on the generated centre: queries, one user's median and
p95, and requests per second at 20 concurrent connections under gunicorn, beside a trivial
signed-in page and the Django admin's changelist of the same model where there is one.

    make bench-pages                       # on BENCH_DATABASE_URL, made by `make bench-data`
    DATABASE_URL=postgres://…/srcn_bench DEBUG=true .venv/bin/python bench/pages_bench.py \\
        --repeat 15 --seconds 8 --only journal

It runs only on a database made by bench/generate.py (it checks the generator's mark), writes
`bench/results.md` (and `bench/results.json`), and prints the same table. Figures only: nothing
is asserted; the targets of issue 15 are shown beside them (≤ 100 ms median, ≥ 1/3 of the
trivial page's requests per second).
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER = "srcn_bench_marker"
PORT = int(os.environ.get("BENCH_PORT", "8015"))
TRIVIAL = "trivial signed-in page"
ADMIN_USER = "bench_superuser"

# label, URL, login, the admin changelist of the same model (or "")
PAGES: list[tuple[str, str, str, str]] = [
    (TRIVIAL, "/password/", "bench_psychologist1_1", ""),
    ("start page, specialist", "/", "bench_psychologist1_1", ""),
    ("start page, head", "/", "bench_head1", ""),
    ("start page, director", "/", "bench_director", ""),
    ("«Мой день», specialist", "/agenda/my-day/", "bench_psychologist1_1", ""),
    ("«Мой день», head (the department)", "/agenda/my-day/", "bench_head1", ""),
    ("register, director", "/recipients/", "bench_director", ""),
    ("register, search «семенов»", "/recipients/?q=семенов", "bench_director", ""),
    ("journal, head", "/services/journal/", "bench_head1", ""),
    ("journal, director (all)", "/services/journal/", "bench_director", ""),
    (
        "journal, director, a year",
        "/services/journal/?date_from=01.01.2025&date_to=31.12.2025",
        "bench_director",
        "",
    ),
    ("ИППСУ list, head", "/services/programmes/", "bench_head1", ""),
    ("«Выполнение программ», head", "/services/compliance/", "bench_head1", ""),
    ("urgent acts, head", "/services/urgent/", "bench_head1", ""),
    ("appeals, registrar", "/patronage/appeals/", "bench_registrar", ""),
    ("appeals, director", "/patronage/appeals/", "bench_director", ""),
    (
        "reception journal, a month",
        "/patronage/journal/?channel=reception&date_from=01.03.2025&date_to=31.03.2025",
        "bench_registrar",
        "",
    ),
    ("patronage cases, head", "/patronage/", "bench_head1", ""),
    ("patronage cases, search «семенов»", "/patronage/?show=all&q=семенов", "bench_head1", ""),
    ("appeals, search «семенов»", "/patronage/appeals/?q=семенов", "bench_registrar", ""),
    ("appeals, overdue filter", "/patronage/appeals/?status=overdue", "bench_director", ""),
    ("journal, search «семенов»", "/services/journal/?q=семенов", "bench_director", ""),
    ("visit review, head", "/patronage/review/", "bench_head1", ""),
    ("ИПСРН list, head", "/rehab/", "bench_head1", ""),
    (
        "ИПСРН list, a quarter, director",
        "/rehab/?date_from=01.07.2026&date_to=30.09.2026",
        "bench_director",
        "",
    ),
    (
        "visits, a month, head",
        "/patronage/visits/?date_from=01.10.2026&date_to=31.10.2026",
        "bench_head1",
        "",
    ),
    ("consilium, head", "/consilium/", "bench_head1", ""),
    ("orders, director", "/orders/", "bench_director", ""),
    ("orders waiting, director", "/orders/?status=draft", "bench_director", ""),
    ("access log, director", "/recipients/access-log/", "bench_director", ""),
    ("statistics, a quarter, director", "/reports/statistics/", "bench_director", ""),
    ("statistics, a quarter, head", "/reports/statistics/", "bench_head1", ""),
    ("quality surveys, director", "/recipients/quality/", "bench_director", ""),
    ("«Мои сроки», head", "/deadlines/", "bench_head1", ""),
    ("«Сроки отделения», head", "/deadlines/department/", "bench_head1", ""),
    ("«Сроки по центру», director", "/deadlines/centre/", "bench_director", ""),
    ("notifications, head", "/notifications/", "bench_head1", ""),
    # The case records are not in the Django admin (issue 11: read only through the views that
    # write the access log), so no changelist of the same model exists; the staff changelist is
    # the admin's figure on this machine for comparison.
    ("Django admin: staff changelist", "/admin/organisation/user/", ADMIN_USER, ""),
]


@dataclass
class Result:
    page: str
    url: str
    user: str
    status: int = 0
    queries: int = 0
    kb: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    rps: float = 0.0
    admin_median_ms: float | None = None
    admin_rps: float | None = None
    admin_queries: int | None = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed requests of one user")
    parser.add_argument("--seconds", type=float, default=8.0, help="per page at 20 connections")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--only", default="", help="pages whose label contains this")
    parser.add_argument("--no-load", action="store_true", help="one user only, no gunicorn")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("axes").setLevel(logging.WARNING)

    if MARKER not in connection.introspection.table_names():
        sys.exit(
            f"{connection.settings_dict['NAME']}: не база генератора (нет {MARKER}). "
            "Запустите make bench-data и укажите её в DATABASE_URL."
        )
    pages = [p for p in PAGES if args.only in p[0] or p[0] == TRIVIAL]
    results = [one_user(p, args.repeat) for p in pages]
    if not args.no_load:
        under_load(results, pages, args)
    write(results, args)


_clients: dict[str, Any] = {}


def _client(username: str) -> Any:
    if username in _clients:
        return _clients[username]
    from django.test import Client

    from organisation.models import User

    if username == ADMIN_USER:
        User.objects.filter(username=ADMIN_USER).exists() or User.objects.create_superuser(
            ADMIN_USER, password="srcn-bench-2026", position="administrator"
        )
    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    _pass_second_factor(client, user)
    _clients[username] = client
    return client


def _pass_second_factor(client: Any, user: Any) -> None:
    """The session as after a sign-in with the second factor (django-otp's own session key and
    a confirmed device of the user), so every page answers as it would to a member of staff —
    not the redirect to the code page, which with DEBUG off is asked of everyone."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    if user.must_change_password:
        type(user).objects.filter(pk=user.pk).update(must_change_password=False)


def _time(client: Any, url: str, repeat: int) -> tuple[int, int, int, list[float]]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm
    reset_queries()  # the request signal resets the log: start from empty
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    return response.status_code, len(ctx.captured_queries), len(response.content), times


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def one_user(page: tuple[str, str, str, str], repeat: int) -> Result:
    label, url, username, admin_url = page
    status, queries, size, times = _time(_client(username), url, repeat)
    result = Result(
        page=label,
        url=url,
        user=username,
        status=status,
        queries=queries,
        kb=round(size / 1024, 1),
        median_ms=round(statistics.median(times), 1),
        p95_ms=round(_p95(times), 1),
    )
    if admin_url:
        _, a_queries, _, a_times = _time(_client(ADMIN_USER), admin_url, repeat)
        result.admin_median_ms = round(statistics.median(a_times), 1)
        result.admin_queries = a_queries
    print(
        f"{label:<36} {status} {queries:3d} q {result.kb:8.1f} kB "
        f"median {result.median_ms:8.1f} ms  p95 {result.p95_ms:8.1f} ms"
        + (f"  (admin {result.admin_median_ms} ms)" if admin_url else ""),
        flush=True,
    )
    return result


def _cookie(username: str) -> str:
    client = _client(username)
    return f"sessionid={client.cookies['sessionid'].value}"


def _load(url: str, cookie: str, seconds: float, connections: int) -> float:
    """Requests per second of `connections` keep-alive clients hammering one URL."""
    from urllib.parse import quote

    path = quote(url, safe="/?=&.")
    done = [0] * connections
    failed = [0] * connections
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while time.perf_counter() < stop:
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:  # a redirect to the login page would not count
                    done[i] += 1
                else:
                    failed[i] += 1
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if sum(failed):
        print(f"  {url}: {sum(failed)} answers other than 200", flush=True)
    return sum(done) / (time.perf_counter() - start)


def _wrk(url: str, cookie: str, seconds: float, connections: int) -> float | None:
    """Requests per second measured by wrk (Debian's `wrk`), or None when it is not installed.
    wrk runs in C beside gunicorn, so the client takes little of the two cores from the server;
    answers other than 2xx/3xx are reported and not counted."""
    import re
    from urllib.parse import quote

    wrk = shutil.which("wrk")
    if not wrk:
        return None
    path = quote(url, safe="/?=&.")
    out = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "60s",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "Host: 127.0.0.1",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s*([\d.]+)", out)
    total = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad and total:
        print(f"  {url}: {bad.group(1)} of {total.group(1)} answers not 2xx/3xx", flush=True)
        good = int(total.group(1)) - int(bad.group(1))
        elapsed = float(total.group(2)) / (1000 if total.group(3) == "ms" else 1)
        return good / elapsed
    return float(rate.group(1)) if rate else 0.0


def _rps(url: str, cookie: str, seconds: float, connections: int) -> float:
    rate = _wrk(url, cookie, seconds, connections)
    return _load(url, cookie, seconds, connections) if rate is None else rate


def _collectstatic(static_root: str) -> None:
    """DEBUG off serves the static files through the manifest (whitenoise): without collected
    files every page that names one answers 500. Collected into a temporary directory."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **_production_env(), "STATIC_ROOT": static_root},
        check=True,
    )


def _production_env() -> dict[str, str]:
    from django.conf import settings

    return {
        "DEBUG": "false",
        "DEMO": "false",
        # the sessions made in-process must be valid in gunicorn: the same key
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }


def _check_signed_in(url: str, cookie: str) -> None:
    """One request before the load: a page must answer 200 to the signed-in user (not a redirect
    to the sign-in page, not a 500), or its figure would measure something else. It also waits
    for the requests a slow page left queued in gunicorn after the previous load (wrk stops
    sending, the server still answers them), so one page's backlog is not the next one's."""
    from urllib.parse import quote

    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    try:
        conn.request(
            "GET", quote(url, safe="/?=&."), headers={"Cookie": cookie, "Host": "127.0.0.1"}
        )
        response = conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as exc:
        print(f"  {url}: no answer before the load ({exc})", flush=True)
        return
    finally:
        conn.close()
    if response.status != 200:
        print(f"  {url}: gunicorn answered {response.status}", flush=True)


def under_load(results: list[Result], pages: list[tuple[str, str, str, str]], args: Any) -> None:
    import tempfile

    static_root = tempfile.mkdtemp(prefix="srcn-bench-static-")
    _collectstatic(static_root)
    env = {**os.environ, **_production_env(), "STATIC_ROOT": static_root}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request("HEAD", "/login/")
                break
            except OSError:
                time.sleep(0.5)
        cookies: dict[str, str] = {}
        for result, (_, url, username, admin_url) in zip(results, pages, strict=True):
            cookie = cookies.setdefault(username, _cookie(username))
            _check_signed_in(url, cookie)
            _rps(url, cookie, 1.0, args.connections)  # warm every worker
            result.rps = round(_rps(url, cookie, args.seconds, args.connections), 1)
            if admin_url:
                admin_cookie = cookies.setdefault(ADMIN_USER, _cookie(ADMIN_USER))
                _check_signed_in(admin_url, admin_cookie)
                result.admin_rps = round(
                    _rps(admin_url, admin_cookie, args.seconds, args.connections), 1
                )
            print(
                f"{result.page:<36} {result.rps:7.1f} req/s"
                + (f"  (admin {result.admin_rps} req/s)" if admin_url else ""),
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)


def write(results: list[Result], args: Any) -> None:
    from django.db import connection

    trivial = next((r.rps for r in results if r.page == TRIVIAL), 0.0)
    lines = [
        "# Pages at scale (bench/pages_bench.py)",
        "",
        f"Database `{connection.settings_dict['NAME']}`; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"one user: median and p95 of {args.repeat} warm requests in-process; "
        f"req/s: {args.connections} connections for {args.seconds:g} s "
        f"({'wrk' if shutil.which('wrk') else 'Python threads'}) to gunicorn "
        f"({args.workers} workers) on this machine (load average at the end "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores). Targets: median ≤ 100 ms, "
        f"req/s ≥ 1/3 of the trivial page ({trivial / 3:.0f}).",
        "",
        "| page | queries | kB | median ms | p95 ms | req/s "
        "| admin changelist: median ms / req/s / queries |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ok = (
            r.status == 200
            and r.median_ms <= 100
            and (not trivial or not r.rps or r.rps >= trivial / 3)
        )
        admin_rps = r.admin_rps if r.admin_rps is not None else "—"
        admin = (
            f"{r.admin_median_ms} / {admin_rps} / {r.admin_queries}"
            if r.admin_median_ms is not None
            else ""
        )
        lines.append(
            f"| {r.page}{'' if ok else ' ✗'} | {r.queries} | {r.kb} | {r.median_ms} | {r.p95_ms} "
            f"| {r.rps or '—'} | {admin} |"
        )
    text = "\n".join(lines) + "\n"
    # the latest run's table replaces the previous one; the notes below it (from the first
    # second-level heading on: earlier sessions' before/after) stay
    out = Path(args.out + ".md")
    kept = out.read_text() if out.exists() else ""
    notes = kept[kept.index("\n## ") :] if "\n## " in kept else ""
    out.write_text(text + notes)
    Path(args.out + ".json").write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1)
    )
    print(text)


if __name__ == "__main__":
    main()
