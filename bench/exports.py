"""`make bench`, the panel scores export (issue 20): the chair's table of a challenge with 5,000
applications, each scored by a panel of three on four weighted criteria, exported as CSV and XLSX
(`/admin/review/<challenge id>/?export=csv|xlsx`) in under 10 s and 200 MB. Run by bench/run.py in
a subprocess with the bench's environment (production settings, its PostgreSQL database):

    python bench/exports.py prepare                -> the bench challenge, made once and reused (JSON)
    python bench/exports.py measure FORMAT VIEWER  -> one export's figures, in a fresh process (JSON)
    python bench/exports.py profile FORMAT VIEWER  -> where one export's time goes (cProfile, text)

FORMAT is csv or xlsx; VIEWER is publisher (a Publisher, off the panel) or chair (the chair, on the
panel, who declared their conflicts). Every answer of prepare and measure is one JSON object on the
last line of stdout.

What is measured: BENCH_RUNS (3) exports through Django's test client, in-process, after a warm-up
export of the same format from a challenge of five applications with the same panel (imports,
translations, connections: what a running server has; the heap is not grown yet), each from the
GET to the last byte of the body, which is written to a file as a browser would save it:

- time: wall clock (time.perf_counter): the median and the slowest run, which the budget holds; the
  process's CPU time, and the part spent waiting for SQL (the cursor's execute calls, timed by an
  execute wrapper);
- peak memory: the process's resident set (Linux's VmHWM, reset through /proc/self/clear_refs just
  before the request) minus its resident set before it. That is what a gunicorn worker grows by,
  C allocations included (libpq holds a query's whole result until it is read; openpyxl's XML writer),
  which tracemalloc does not see; the largest over the runs (the first: later ones reuse the heap the
  first grew) is the one the budget holds. tracemalloc's peak (Python objects only) is taken on a separate
  export, as tracing slows the code down severalfold and would spoil the time.
"""

# ruff: noqa: S108 -- writes the exported files under the bench's own directory (/tmp/cio_bench)

import datetime
import gc
import io
import json
import os
import random
import re
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_core.settings.production")

APPLICATIONS = 5000
BUDGET_SECONDS = 10.0
BUDGET_MEGABYTES = 200.0
FORMATS = ("csv", "xlsx")
VIEWERS = ("publisher", "chair")
SLUG = "bench-panel-scores"
WARM_SLUG = "bench-panel-scores-warm-up"
CRITERIA = [("Impact for residents", 40), ("Feasibility", 30), ("Team", 20), ("Value for money", 10)]
MEMBERS = [
    ("bench-chair", "Chris", "Chair", True),
    ("bench-ana", "Ana", "Ng", False),
    ("bench-ben", "Ben", "Roy", False),
]
PUBLISHER = "bench-publisher"
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/cio_bench"))
MB = 1024 * 1024


@dataclass
class ExportFigures:
    export_format: str
    viewer: str
    rows: int  # data rows in the file
    bytes: int  # the file's size
    seconds: float  # median wall-clock time of the runs
    seconds_max: float
    cpu_seconds: float  # this process's CPU time in the median run (the database's is not in it)
    sql_seconds: float  # waiting for the database in the median run
    queries: int
    rss_peak_mb: float  # the largest growth of the resident set over the runs (the first, in practice)
    rss_process_mb: float  # the process's resident set at that peak
    tracemalloc_peak_mb: float  # Python objects only, on a separate traced export
    runs: int
    load_average: float  # the machine's 1-minute load when the measurement began (2 cores: 2 is busy)


def over_budget(figures: ExportFigures) -> list[str]:
    """What is over the budget (nothing when within it): the slowest run and the largest peak count."""
    problems = []
    if figures.seconds_max >= BUDGET_SECONDS:
        problems.append(f"{figures.seconds_max:.2f} s >= {BUDGET_SECONDS:.0f} s")
    if figures.rss_peak_mb >= BUDGET_MEGABYTES:
        problems.append(f"{figures.rss_peak_mb:.0f} MB >= {BUDGET_MEGABYTES:.0f} MB")
    return problems


def format_figures(results: list[ExportFigures]) -> str:
    lines = [
        f"{'export':6} {'viewer':9} {'rows':>6} {'file':>10} {'time s':>7} {'max s':>6} {'CPU s':>6} {'SQL s':>6} "
        f"{'queries':>7} {'peak RSS MB':>11} {'process MB':>10} {'tracemalloc MB':>14} {'load':>5}  verdict"
    ]
    for r in results:
        verdict = "; ".join(over_budget(r)) or "within budget"
        lines.append(
            f"{r.export_format:6} {r.viewer:9} {r.rows:>6,} {r.bytes:>10,} {r.seconds:>7.2f} {r.seconds_max:>6.2f} "
            f"{r.cpu_seconds:>6.2f} {r.sql_seconds:>6.2f} {r.queries:>7} {r.rss_peak_mb:>11.1f} "
            f"{r.rss_process_mb:>10.1f} {r.tracemalloc_peak_mb:>14.1f} {r.load_average:>5.1f}  {verdict}"
        )
    return "\n".join(lines)


# --- the data -----------------------------------------------------------------------------------------

WORDS = [
    *("residents", "transit", "schedule", "data", "pilot", "service", "request", "crews", "sensors", "open"),
    *("library", "curb", "neighbourhood", "accessible", "tested", "measured", "budget", "months", "partners"),
    *("maintenance", "outreach", "survey", "prototype", "clear", "risks"),
]


def sentence(seed: int, words: int) -> str:
    picked = [WORDS[(seed * 7 + index * 13) % len(WORDS)] for index in range(words)]
    return " ".join(picked).capitalize() + "."


def comment(seed: int) -> str:
    """A reviewer's comment on a criterion: two or three sentences, about 200 characters."""
    return " ".join(sentence(seed + part, 9 + (seed + part) % 6) for part in range(2 + seed % 2))


def organisation(number: int) -> str:
    names = ["Civic Widgets Inc.", "Équipe Ville Ouverte", "Transit Lab Co-op", "=Formula Ltd.", "Data & Daughters"]
    return f"{names[number % len(names)]} {number}"


def prepare() -> dict:
    """The bench challenge (a draft page: not in the listings the load bench measures) with its panel
    and APPLICATIONS applications, each with the three members' submitted sheets, and a small one
    with the same panel for the warm-up; made once, and made again only when their counts are not
    the expected ones."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("setup_groups", stdout=io.StringIO())
    User = get_user_model()
    reviewers, publishers = Group.objects.get(name="Challenge reviewers"), Group.objects.get(name="Publishers")
    members = []
    for username, first, last, _is_chair in MEMBERS:
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        user.groups.add(reviewers)
        members.append(user)
    publisher, _ = User.objects.get_or_create(username=PUBLISHER, defaults={"first_name": "Pat", "last_name": "Lee"})
    publisher.groups.add(publishers)
    started = time.perf_counter()
    measured = scored_challenge(SLUG, "Bench: panel scores export", APPLICATIONS, "CIO-BENCH", members)
    warm = scored_challenge(WARM_SLUG, "Bench: panel scores export, warm-up", 5, "CIO-BWARM", members)
    return {
        **measured,
        "warm_challenge_id": warm["challenge_id"],
        "made_seconds": round(time.perf_counter() - started, 1),
    }


def scored_challenge(slug: str, title: str, count: int, prefix: str, members: list) -> dict:
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from challenges import scoring
    from challenges.models import (
        Application,
        ApplicationStatus,
        ChallengeIndexPage,
        ChallengePage,
        ConflictDeclaration,
        PanelMember,
        ScoreSheet,
    )

    challenge = ChallengePage.objects.filter(slug=slug, locale=Locale.get_default()).first()
    if challenge is None:
        index = ChallengeIndexPage.objects.filter(locale=Locale.get_default()).first()
        if index is None:
            raise SystemExit("no challenge index page: run generate_bulk_content first")
        challenge = ChallengePage(
            title=title,
            slug=slug,
            live=False,
            summary="A challenge for make bench: scored applications.",
            problem_statement="<p>Measured, not published.</p>",
            evaluation_criteria=[
                ("criterion", {"name": name, "weight": weight, "description": sentence(weight, 12)})
                for name, weight in CRITERIA
            ],
        )
        index.add_child(instance=challenge)
    criteria = scoring.criteria_of(challenge)
    for member, (_username, _first, _last, is_chair) in zip(members, MEMBERS, strict=True):
        PanelMember.objects.update_or_create(challenge=challenge, user=member, defaults={"is_chair": is_chair})

    applications = Application.objects.filter(challenge=challenge)
    sheets = ScoreSheet.objects.filter(application__challenge=challenge, submitted_at__isnull=False)
    made = applications.count() != count or sheets.count() != count * len(members)
    if made:
        statuses = [ApplicationStatus.RECEIVED] * 4 + [
            ApplicationStatus.UNDER_REVIEW,
            ApplicationStatus.SHORTLISTED,
            ApplicationStatus.SELECTED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.WITHDRAWN,
        ]
        with transaction.atomic():
            applications.delete()  # their sheets and conflicts go with them
            now = timezone.now()
            rows = []
            for number in range(1, count + 1):
                status = statuses[number % len(statuses)]
                decided = status in (ApplicationStatus.SELECTED, ApplicationStatus.DECLINED)
                rows.append(
                    Application(
                        challenge=challenge,
                        reference=f"{prefix}-{number:05d}",
                        form_token=uuid.uuid4(),
                        submitted_at=now - datetime.timedelta(minutes=number),
                        organisation_name=organisation(number),
                        contact_name="Robin Roe",
                        email=f"{prefix.lower()}-{number}@example.ca",
                        phone="416-555-0199",
                        team_size=1 + number % 9,
                        proposal_summary=" ".join(sentence(number + part, 12) for part in range(8)),
                        attachment="applications/bench/proposal.pdf",
                        attachment_name="proposal.pdf",
                        attachment_size=120_000,
                        consent_at=now,
                        status=status,
                        decided_at=now if decided else None,
                        decision_reason=sentence(number, 20) if decided else "",
                        publish_consent=number % 3 != 0,
                    )
                )
            created = Application.objects.bulk_create(rows, batch_size=1000)
            sheets_rows = []
            for application in created:
                draw = random.Random(application.pk)  # noqa: S311 -- the same scores for the same rows
                for offset, member in enumerate(members):
                    seed = application.pk * 3 + offset
                    scores = {
                        criterion.key: {"score": draw.randint(0, 5), "comment": comment(seed + index)}
                        for index, criterion in enumerate(criteria)
                    }
                    sheets_rows.append(
                        ScoreSheet(
                            application=application,
                            reviewer=member,
                            scores=scores,
                            overall_note=" ".join(sentence(seed + part, 14) for part in range(3)),
                            total=scoring.weighted_total(criteria, scores),
                            submitted_at=now,
                        )
                    )
            ScoreSheet.objects.bulk_create(sheets_rows, batch_size=1000)
    # The chair declared their conflicts (none) after the applications arrived: they read them all.
    ConflictDeclaration.objects.update_or_create(
        challenge=challenge, user=members[0], defaults={"covers_until": timezone.now()}
    )
    return {
        "challenge_id": challenge.pk,
        "applications": applications.count(),
        "sheets": sheets.count(),
        "criteria": [(criterion.name, criterion.published_weight) for criterion in criteria],
        "made": made,
    }


# --- the measurement ----------------------------------------------------------------------------------


def memory_kb() -> dict:
    status = Path("/proc/self/status").read_text()
    return {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) for key in ("VmRSS", "VmHWM")}


def reset_peak() -> None:
    """Set the resident set's high-water mark (VmHWM) back to the current size (Linux 4.0+)."""
    Path("/proc/self/clear_refs").write_text("5")


class SqlTimer:
    """The database's execute calls of the current connection: how many, how long in all."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def viewer_user(viewer: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=PUBLISHER if viewer == "publisher" else MEMBERS[0][0])


def client_for(viewer: str):
    from django.test import Client

    client = Client()
    client.force_login(viewer_user(viewer))
    return client


def export_once(client, url: str, target: Path) -> tuple[float, int]:
    """GET the export and save its body to `target`: the seconds it took and the size."""
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code} {response.get('Location', '')}")
    size = 0
    with target.open("wb") as file:
        for chunk in response.streaming_content if response.streaming else [response.content]:
            file.write(chunk)
            size += len(chunk)
    response.close()
    return time.perf_counter() - started, size


def count_rows(path: Path, export_format: str) -> int:
    if export_format == "csv":
        import csv

        with path.open(encoding="utf-8-sig", newline="") as file:
            return sum(1 for _ in csv.reader(file)) - 1
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in workbook.active.iter_rows()) - 1
    finally:
        workbook.close()


def forget_audit_entries(viewer: str) -> None:
    """The bench's own exports leave no audit entries behind (5,000 a run)."""
    from wagtail.models import ModelLogEntry

    from challenges.review_views import SCORES_EXPORT_ACTION

    ModelLogEntry.objects.filter(user=viewer_user(viewer), action=SCORES_EXPORT_ACTION).delete()


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    sql_seconds: float
    queries: int
    rss_growth_mb: float
    rss_peak_mb: float
    size: int


def timed_export(client, url: str, target: Path) -> Run:
    from django.db import connection

    gc.collect()
    before = memory_kb()["VmRSS"]
    reset_peak()
    timer = SqlTimer()
    cpu = time.process_time()
    with connection.execute_wrapper(timer):
        seconds, size = export_once(client, url, target)
    cpu = time.process_time() - cpu
    peak = memory_kb()["VmHWM"]
    return Run(seconds, cpu, timer.seconds, timer.queries, (peak - before) / 1024, peak / 1024, size)


def measure(export_format: str, viewer: str, runs: int) -> dict:
    """`runs` exports in this process after a warm-up export of the small challenge (the imports,
    translations and connections a running server has, but not a heap already grown by this export:
    the first measured run shows what a worker grows by)."""
    import statistics
    import tracemalloc

    ids = prepare_ids()
    url = f"/admin/review/{ids['challenge_id']}/?export={export_format}"
    target = WORK / f"scores-{viewer}.{export_format}"
    target.parent.mkdir(parents=True, exist_ok=True)
    client = client_for(viewer)
    load = os.getloadavg()[0]
    try:
        export_once(client, f"/admin/review/{ids['warm_challenge_id']}/?export={export_format}", target)
        results = [timed_export(client, url, target) for _ in range(runs)]
        gc.collect()
        tracemalloc.start()
        export_once(client, url, target)
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        forget_audit_entries(viewer)
    median = sorted(results, key=lambda run: run.seconds)[len(results) // 2]
    largest = max(results, key=lambda run: run.rss_growth_mb)
    figures = ExportFigures(
        export_format=export_format,
        viewer=viewer,
        rows=count_rows(target, export_format),
        bytes=median.size,
        seconds=round(statistics.median(run.seconds for run in results), 3),
        seconds_max=round(max(run.seconds for run in results), 3),
        cpu_seconds=round(median.cpu_seconds, 3),
        sql_seconds=round(median.sql_seconds, 3),
        queries=median.queries,
        rss_peak_mb=round(largest.rss_growth_mb, 1),
        rss_process_mb=round(largest.rss_peak_mb, 1),
        tracemalloc_peak_mb=round(traced_peak / MB, 1),
        runs=runs,
        load_average=round(load, 2),
    )
    return asdict(figures)


def prepare_ids() -> dict:
    from wagtail.models import Locale

    from challenges.models import ChallengePage

    pages = dict(
        ChallengePage.objects.filter(slug__in=[SLUG, WARM_SLUG], locale=Locale.get_default()).values_list("slug", "pk")
    )
    if len(pages) != 2:
        raise SystemExit("no bench challenges: run `bench/exports.py prepare` first")
    return {"challenge_id": pages[SLUG], "warm_challenge_id": pages[WARM_SLUG]}


def profile(export_format: str, viewer: str, top: int = 30) -> str:
    """The functions one export spends its time in (cumulative, then own time)."""
    import cProfile
    import pstats

    url = f"/admin/review/{prepare_ids()['challenge_id']}/?export={export_format}"
    target = WORK / f"scores-{viewer}-profiled.{export_format}"
    client = client_for(viewer)
    try:
        export_once(client, url, target)  # warm-up
        profiler = cProfile.Profile()
        profiler.enable()
        export_once(client, url, target)
        profiler.disable()
    finally:
        forget_audit_entries(viewer)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *args = argv
    if command == "prepare":
        print(json.dumps(prepare()))
    elif command == "measure":
        export_format, viewer = args[0], args[1]
        if export_format not in FORMATS or viewer not in VIEWERS:
            raise SystemExit(f"usage: measure {'|'.join(FORMATS)} {'|'.join(VIEWERS)}")
        print(json.dumps(measure(export_format, viewer, int(os.environ.get("BENCH_RUNS", "3")))))
    elif command == "profile":
        print(profile(args[0], args[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
