"""The term report's PDF (issue 14) against WeasyPrint rendering the same HTML alone.

* ``term PDF (<scale>)``: the whole report, :func:`longbien.reporting.term_report.render`
  (the indicators collected, the sentences, tables and charts built, the template rendered and
  the PDF written; the figure cache emptied before each run), against ``weasyprint.HTML(string=html, base_url=…, url_fetcher=…)
  .write_pdf()`` alone on the same HTML (rendered once beforehand, with the same base URL and
  fetcher as :mod:`longbien.reporting.rendering`). Target: within 1.3×.
* ``term PDF memory (<scale>)``: ``manage.py term_report`` (the portal's own command, the same
  render as the Celery job) run in a child process on the bench database; its peak resident
  set (``ru_maxrss``, ``RUSAGE_CHILDREN`` of a small wrapper: see :data:`_MEASURE`) in MB.
  Target: under 500 MB.

The unit is the district (QU-LB) once the district demo is loaded and the city root (TU-HN)
after ``seed_demo --scale city``; the period is the 2015–2020 term. With ``--profile`` a
cProfile of one whole render is written to ``bench/out/term_pdf_<scale>.prof``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from timing import after, best_of, best_of_each

ROOT = Path(__file__).resolve().parent.parent
TERM = "2015-2020"
RATIO_TARGET = 1.3
MEMORY_TARGET_MB = 500
UNITS = {"district": "QU-LB", "city": "TU-HN"}


def _database_url(settings_dict: dict[str, Any]) -> str:
    """The URL of the database the bench runs on (the test database), for a child process."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    host = quote(settings_dict.get("HOST") or "", safe="")  # a socket folder is %-encoded
    port = settings_dict.get("PORT") or ""
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return (
        f"postgres://{credentials}{host}{':' + str(port) if port else ''}/{settings_dict['NAME']}"
    )


#: Run a command and print its peak RSS (KiB). The command runs as a grandchild, forked from
#: this small interpreter: on Linux a process's ru_maxrss starts from the RSS of the process it
#: was forked from (exec keeps the high-water mark of the forked copy), so a child forked from
#: the bench itself (hundreds of MB after seeding the city) would report the bench's memory.
_MEASURE = (
    "import resource, subprocess, sys; "
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


def peak_memory(connection: Any, unit_code: str) -> tuple[float, float, int]:
    """Run ``manage.py term_report`` for ``unit_code`` in a child process on the bench
    database; return its peak RSS in MB, its wall time in seconds and the PDF's size."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "term.pdf"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(connection.settings_dict),
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "longbien.settings.bench"
            ),
        }
        command = [sys.executable, str(ROOT / "manage.py"), "term_report", "--term", TERM,
                   "--unit", unit_code, "--output", str(output)]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-c", _MEASURE, *command], cwd=ROOT, env=env,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"term_report failed ({done.returncode}): {done.stderr[-2000:]}")
        # Linux reports ru_maxrss in KiB.
        return int(done.stdout.split()[-1]) / 1024, elapsed, output.stat().st_size


def forget_figures() -> None:
    """Empty the figure cache (``longbien.figure_cache``), when the portal has one: a render
    measured cold is the one the first report after a change waits for."""
    try:
        from longbien.core.models import FigureCache
    except ImportError:
        return
    FigureCache.objects.all().delete()


def measure(args: Any, context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from longbien import periods
    from longbien.org.models import OrgUnit, Term
    from longbien.reporting import rendering, term_report

    scale = context["scale"]
    unit = OrgUnit.objects.get(code=UNITS[scale])
    period = periods.term_period(Term.objects.get(code=TERM))
    # A render takes seconds, and a shared machine's speed drifts by half during a run: five
    # rounds (render, WeasyPrint alone, in turn), the best of each.
    repeat = max(5, args.repeat)

    import weasyprint

    # The HTML once (this first build also warms the queries and the templates), and its
    # layout once (which loads the fonts): neither side pays a first-run cost below.
    started = time.perf_counter()
    built = term_report.build_context(unit=unit, period=period)
    context_s = time.perf_counter() - started
    html = rendering.render_html(term_report.TEMPLATE, built)
    base_url = rendering.static_base_url()
    pages = len(
        weasyprint.HTML(string=html, base_url=base_url, url_fetcher=rendering._fetcher())
        .render()
        .pages
    )
    sizes: list[int] = []
    #: Each portal run's split, read off the render's own progress calls: the context (the
    #: figures, sentences and charts), then the template and the PDF.
    splits: list[tuple[float, float, float]] = []

    def portal() -> None:
        stamps: dict[str, float] = {}

        def progress(stage: str, percent: int) -> None:
            stamps.setdefault(f"{stage} {percent}", time.perf_counter())

        started = time.perf_counter()
        sizes.append(len(term_report.render(unit=unit, period=period, progress=progress)))
        ended = time.perf_counter()
        built_at = stamps.get("rendering 80", started)
        splits.append((ended - started, built_at - started, ended - built_at))

    def kept() -> None:
        term_report.render(unit=unit, period=period)

    def baseline() -> None:
        weasyprint.HTML(
            string=html, base_url=base_url, url_fetcher=rendering._fetcher()
        ).write_pdf()

    # The figure cache emptied before each run, untimed: the render is what is measured.
    portal_s, baseline_s = best_of_each(repeat, after(forget_figures, portal), baseline)
    kept_s = best_of(3, kept)  # right after a cold render: every figure kept
    if getattr(args, "profile", False):
        import cProfile

        out = ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        forget_figures()
        cProfile.runctx("portal()", globals(), {"portal": portal},
                        filename=str(out / f"term_pdf_{scale}.prof"))  # fmt: skip
    ratio = portal_s / baseline_s
    best_split = min(splits)
    rows: dict[str, dict[str, Any]] = {
        f"term PDF ({scale})": {
            "portal_s": portal_s, "baseline_s": baseline_s, "ratio": ratio,
            "target": f"≤ {RATIO_TARGET}×", "met": ratio <= RATIO_TARGET,
            "note": f"{unit.code} {TERM}: {pages} pages, {sizes[-1] / 1024:,.0f} KiB; "
            f"the context alone (first build) {context_s:.2f} s; the best run: context "
            f"{best_split[1]:.2f} s, template and PDF {best_split[2]:.2f} s; figure cache emptied before each run "
            f"(with every figure kept: {kept_s:.2f} s, ×{kept_s / baseline_s:.2f}); baseline: WeasyPrint write_pdf() of the same HTML",
        },
    }  # fmt: skip
    forget_figures()
    rss_mb, child_s, size = peak_memory(context["connection"], unit.code)
    rows[f"term PDF memory ({scale})"] = {
        "portal_s": child_s, "baseline_s": None, "ratio": None, "value": f"{rss_mb:,.0f} MB",
        "target": f"< {MEMORY_TARGET_MB} MB", "met": rss_mb < MEMORY_TARGET_MB,
        "note": f"peak RSS of `manage.py term_report --unit {unit.code}` in a child process "
        f"(start-up included, figure cache empty; time is the child's wall time), "
        f"{size / 1024:,.0f} KiB PDF",
    }  # fmt: skip
    return rows
