"""The vendor workbook import, end to end on PostgreSQL, against the bare parse.

Builds a 20,000-row workbook (4,000 vendors on one sheet, 16,000 products on the other),
then measures, each in a fresh process so that peak memory (max RSS) is its own:
the bare parse with python-calamine and with openpyxl read-only, the import into empty
tables (checks, parse, validation, plan, one transaction of COPY writes with history
rows), the re-import of the same file (everything unchanged, nothing written), and the
page flow into empty tables: the check a worker runs on upload (the preview) followed by
the write a worker runs on confirmation, through the vendor import job's services.

Aims (issue #19): the import into empty tables within 5x the bare calamine parse, check
plus confirm within 6x, peak memory at most 300 MB at 50,000 rows (BENCH_VENDORS=10000).
The figures are also written to var/bench/vendor_import.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENDORS = int(os.environ.get("BENCH_VENDORS", "4000"))
PRODUCTS_PER_VENDOR = 4
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
ROOT = Path(__file__).resolve().parent.parent


def build_workbook(path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    from vendors.import_schema import build_schema
    from vendors.models import District, Language, ProductCategory

    schema = build_schema()
    districts = list(District.objects.values_list("name_th", flat=True))
    categories = list(ProductCategory.objects.values_list("name_en", flat=True))
    languages = list(Language.objects.values_list("name_en", flat=True))[:3]
    workbook = Workbook(write_only=True)
    vendors_sheet = workbook.create_sheet(schema.sheets[0].title)
    vendors_sheet.append([c.header for c in schema.sheets[0].columns])
    for i in range(VENDORS):
        vendors_sheet.append(
            [
                f"BB-{i:06d}",
                f"ร้านค้าชุมชนตัวอย่างที่ {i}",
                f"Community shop {i}",
                f"เจ้าของกิจการ {i}",
                f"ผู้ติดต่อ {i}",
                districts[i % len(districts)],
                dt.date(2024, 1 + i % 12, 1 + i % 28),
                f"{1 + i % 28}/{1 + i % 12}/2570",  # BE text dates, as people type them
                f"08{i:08d}",
                f"shop{i}@example.org",
                f"line{i}",
                f"www.shop{i}.example.org",
                ", ".join(languages[: 1 + i % 3]),
                "ส่งออกไปญี่ปุ่นและเกาหลี" if i % 3 == 0 else "",
                "ใช่",
            ]
        )
    products_sheet = workbook.create_sheet(schema.sheets[1].title)
    products_sheet.append([c.header for c in schema.sheets[1].columns])
    for i in range(VENDORS):
        for j in range(PRODUCTS_PER_VENDOR):
            products_sheet.append(
                [
                    f"BB-{i:06d}",
                    f"สินค้าชุมชนหมายเลข {j} ของร้าน {i}",
                    f"Community product {j} of shop {i}",
                    categories[(i + j) % len(categories)],
                    "ผลิตจากวัตถุดิบในท้องถิ่น คัดสรรคุณภาพ",
                    "Made from local ingredients.",
                    "๑,๒๕๐.๕๐" if j == 0 else 99.5 + j,
                    "ชิ้น",
                    50 + j,
                    365,
                    "อย.",
                    "ใช่" if j % 2 == 0 else "ไม่ใช่",
                ]
            )
    workbook.save(path)


def child(mode: str, path: str) -> dict:
    """Runs in a fresh process: one measurement."""
    from bench.__main__ import setup_django

    setup_django(migrate=False)  # main() has, before it started this process
    # Modules load and the database connects before the clock starts, in every mode.
    import python_calamine
    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    from vendors.imports import VendorImport

    user = get_user_model().objects.get(username="bench")
    base_rss = _peak_rss_kb()
    started = time.perf_counter()
    info: dict = {}
    if mode == "calamine":
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        info["rows"] = sum(
            len(workbook.get_sheet_by_name(n).to_python(skip_empty_area=False))
            for n in workbook.sheet_names
        )
    elif mode == "openpyxl":
        workbook = load_workbook(path, read_only=True, data_only=True)
        info["rows"] = sum(sum(1 for _ in ws.iter_rows(values_only=True)) for ws in workbook)
        workbook.close()
    elif mode == "flow":
        job = _flow(path, user)
        assert job.status == "done", (job.status, job.last_error)
        info["rows"] = job.report["rows"]
        info["counts"] = job.report["plan"]["counts"]
    else:
        with open(path, "rb") as stream:
            result = VendorImport().commit(stream, acting_user=user)
        assert result.ok, [i.describe() for i in result.issues][:10]
        info["rows"] = result.row_count
        info["counts"] = result.plan.counts
    info["seconds"] = time.perf_counter() - started
    info["peak_rss_mb"] = _peak_rss_kb() / 1024
    info["base_rss_mb"] = base_rss / 1024
    return info


def _flow(path: str, user):
    """Upload, check (the preview), confirm and write, as the pages and the worker do;
    the tasks are called in this process so that the broker plays no part in the time."""
    from django.core.files import File

    from core.uploads import sha256_hex
    from vendors import services
    from vendors.models import VendorImportJob

    with open(path, "rb") as stream:
        job = VendorImportJob(
            original_name="bench.xlsx", created_by=user, sha256=sha256_hex(stream)
        )
        job.file.save("upload.xlsx", File(stream), save=False)
        job.save()
    try:
        services.vendor_import_check(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == VendorImportJob.Status.READY, job.status
        VendorImportJob.objects.filter(pk=job.pk).update(
            status=VendorImportJob.Status.QUEUED, confirmed_by=user
        )
        services.vendor_import_apply(job_id=job.pk)
        job.refresh_from_db()
    finally:
        job.file.delete(save=False)
    return job


def _peak_rss_kb() -> int:
    """This process's own peak resident memory, in kB: VmHWM belongs to the process image,
    so it starts afresh at exec. ru_maxrss does not: a child started from `make bench`,
    whose process had grown to 298 MB over the earlier benchmarks, reported 298 MB for
    every measurement."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _run_child(mode: str, path: Path) -> dict:
    code = (
        "import json, sys; from bench.bench_vendor_import import child; "
        f"print('RESULT ' + json.dumps(child({mode!r}, {str(path)!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    if done.returncode:  # the child's own error, not only its exit status
        raise RuntimeError(f"the {mode} measurement failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _empty_registry() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from vendors.models import Product, Vendor

    tables = [
        Product._meta.db_table,
        Product.history.model._meta.db_table,
        Vendor.languages.through._meta.db_table,
        Vendor._meta.db_table,
        Vendor.history.model._meta.db_table,
    ]
    with connection.cursor() as cursor:
        # The bench database is this benchmark's own (bench/__main__.py).
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    get_user_model().objects.get_or_create(username="bench")


def _median(runs: list[dict]) -> dict:
    """The run with the median time (machines are noisy); peak memory is the worst seen."""
    run = dict(sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2])
    run["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    run["all"] = [round(r["seconds"], 2) for r in runs]
    return run


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"vendors-{VENDORS * (1 + PRODUCTS_PER_VENDOR)}.xlsx"
        build_workbook(path)
        print(
            f"workbook: {VENDORS:,} vendors + {VENDORS * PRODUCTS_PER_VENDOR:,} products "
            f"= {VENDORS * (1 + PRODUCTS_PER_VENDOR):,} rows, "
            f"{path.stat().st_size / 1e6:.1f} MB; {REPEAT} rounds, each measurement in a "
            "fresh process; a ratio compares runs of the same round"
        )
        _empty_registry()
        openpyxl = _run_child("openpyxl", path)
        calamines, firsts, agains, flows = [], [], [], []
        for _ in range(REPEAT):
            # Interleaved, so that a busy moment of the machine hits both sides of a ratio.
            _empty_registry()
            calamines.append(_run_child("calamine", path))
            firsts.append(_run_child("import", path))
            agains.append(_run_child("import", path))
            _empty_registry()
            flows.append(_run_child("flow", path))
    calamine, first, again = _median(calamines), _median(firsts), _median(agains)
    flow = _median(flows)
    c = calamine["seconds"]
    print(
        f"bare parse, python-calamine:    {c:6.2f} s  {calamine['all']}  "
        f"peak RSS {calamine['peak_rss_mb']:.0f} MB"
    )
    print(
        f"bare parse, openpyxl read-only: {openpyxl['seconds']:6.2f} s  "
        f"peak RSS {openpyxl['peak_rss_mb']:.0f} MB  ({openpyxl['seconds'] / c:.1f}x calamine)"
    )
    for label, run, runs in (
        ("import into empty tables", first, firsts),
        ("re-import, all unchanged", again, agains),
        ("page flow, check + confirm", flow, flows),
    ):
        ratios = sorted(r["seconds"] / k["seconds"] for r, k in zip(runs, calamines, strict=True))
        print(
            f"{label}: {run['seconds']:6.2f} s  {run['all']}; "
            f"{ratios[len(ratios) // 2]:.1f}x the calamine parse of its round "
            f"{[round(x, 1) for x in ratios]}, {run['seconds'] / openpyxl['seconds']:.2f}x "
            f"openpyxl; peak RSS {run['peak_rss_mb']:.0f} MB "
            f"(Django alone {run['base_rss_mb']:.0f} MB)"
        )
    print(f"plan of the first import: {first['counts']}")
    print(f"plan of the re-import:    {again['counts']}")
    figures: dict = {
        "rows": VENDORS * (1 + PRODUCTS_PER_VENDOR),
        "rounds": REPEAT,
        "calamine": calamine,
        "openpyxl": openpyxl,
    }
    for key, run, runs in (
        ("import", first, firsts),
        ("reimport", again, agains),
        ("flow", flow, flows),
    ):
        ratios = sorted(r["seconds"] / k["seconds"] for r, k in zip(runs, calamines, strict=True))
        figures[key] = {**run, "ratio_to_calamine": ratios[len(ratios) // 2], "ratios": ratios}
    out = ROOT / "var" / "bench" / "vendor_import.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
