"""The journal's XLSX export at scale: time and peak memory of about 100,000 rows.

    DATABASE_URL=postgres://…/srcn_bench DEBUG=true .venv/bin/python bench/export_bench.py
    make bench-export

It reads a database made by bench/generate.py (it checks the generator's mark), picks the
period ending today that holds `--rows` journal records of the whole centre (the director's
scope), and writes the export exactly as the background job does (`services.exports.
journal_export(...).write`) into a temporary file. It prints the rows, the seconds, the file's
size and the process's peak resident memory before and after (the figure of issue 15 is the
peak: ≤ 20 s and ≤ 200 MB for 100,000 rows), with the machine's load average. Figures only.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MARKER = "srcn_bench_marker"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--user", default="bench_director")
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from organisation.models import User
    from services.exports import journal_export
    from services.models import ServiceRecord

    if MARKER not in connection.introspection.table_names():
        sys.exit(f"{connection.settings_dict['NAME']}: не база генератора (нет {MARKER}).")
    user = User.objects.get(username=args.user)
    today = timezone.localdate()
    # The first day of the period: the date of the `rows`-th record counting back from today.
    dates = ServiceRecord.objects.visible_to(user).filter(date__lte=today).order_by("-date")
    first = dates.values_list("date", flat=True)[args.rows - 1 : args.rows].first()
    first = first or today - timedelta(days=365)
    params = {"date_from": f"{first:%d.%m.%Y}", "date_to": f"{today:%d.%m.%Y}"}
    before = _peak_mb()
    with tempfile.TemporaryFile() as target:
        t = time.perf_counter()
        export = journal_export(user=user, params=params)
        rows = export.write(target)
        seconds = time.perf_counter() - t
        size = target.tell()
    peak = _peak_mb()
    print(
        f"journal XLSX, {params['date_from']}–{params['date_to']} ({args.user}): {rows} rows in "
        f"{seconds:.1f} s, {size / 1e6:.1f} MB file; peak memory {peak:.0f} MB "
        f"(before the export {before:.0f} MB); load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
