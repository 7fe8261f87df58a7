"""`make bench`, a publish under load (issue 24): a steady load over the site's 60 most visited URLs,
from gunicorn directly ("app") and through the nginx caching proxy ("proxy"), with a release
published during each run. Run by bench/run.py (`measure`), which asks the app through this file in
a subprocess with the bench's environment (production settings, its PostgreSQL database):

    python bench/publish.py urls N                          -> the N URLs of the load (JSON)
    python bench/publish.py publish PAGE_ID TITLE LINGER    -> "READY" once Django is set up; then, at
                                                               the epoch read from stdin, publish TITLE
                                                               as the page's title (bench/probe.py's
                                                               publish: JSON), and stay LINGER s for
                                                               the proxy's repeat purge

The URLs: the home page in English and French, the section listings under each (news, challenges,
jobs, partner cities...), then the newest releases, challenges, job postings and partner stories in
both languages, in turn, up to BENCH_PUBLISH_URLS (60).

Each run, per path (app, then proxy): every URL is fetched twice (warm: the page cache and the
proxy's cache hold it), then wrk runs BENCH_PUBLISH_SECONDS (20) with a Lua script (written by
`lua_script`) that rotates through the URLs, BENCH_PUBLISH_CONNECTIONS (16) connections, each pausing
between requests so the whole makes about BENCH_PUBLISH_RATE (500) requests a second (0: as fast as
the server answers). BENCH_PUBLISH_AT (5) seconds in, the newest English release gets a new title
(the ORM publish of bench/probe.py, in its own process, started and warmed before the load, which
then stays for the proxy's repeat purge as an app server would). Measured:

- wrk's p50/p99 over the whole run, requests, and errors (non-2xx/3xx answers and socket errors);
- the time until the new title shows both on the release and on the news listing, polled every
  10 ms through the same path as the load (seconds from the start of the publish);
- renders: gunicorn runs with an access log (`ACCESS_LOG_FORMAT`, `AccessLogger`: the start and end
  of each request as epoch seconds, its worker, status, URL and `X-Page-Cache`). An answer rendered by
  Django is one whose `X-Page-Cache` is neither `hit` nor `stale` (`miss`: rendered and stored; no
  header: rendered and not stored). Counted per URL for requests started in the BENCH_PUBLISH_WINDOW
  (10) seconds after the publish began, across both workers; and per URL and generation, each render
  attributed to the page cache generation current when it started (the bench reads the generation
  token from Redis every 2 ms during the run: a publish replaces it several times, at once and at
  commit, for the page's save, each inline relation saved and the publish signal; changes closer
  together than 2 ms count as one, so the generations counted are a lower bound and the renders per
  generation an upper bound). Renders before the publish should be none.

Goals (the issue's): through the proxy p99 under 50 ms and no error; from the app p99 under 500 ms
and no error; at most one render per URL and generation; the new title visible within 1 s.
"""

# ruff: noqa: S603 -- runs fixed local tools (wrk, the bench's helpers) on loopback

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gunicorn.glogging import Logger

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_core.settings.production")

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")

URLS = int(os.environ.get("BENCH_PUBLISH_URLS", "60"))
SECONDS = int(os.environ.get("BENCH_PUBLISH_SECONDS", "20"))
AT = float(os.environ.get("BENCH_PUBLISH_AT", "5"))
WINDOW = float(os.environ.get("BENCH_PUBLISH_WINDOW", "10"))
RATE = int(os.environ.get("BENCH_PUBLISH_RATE", "500"))
CONNECTIONS = int(os.environ.get("BENCH_PUBLISH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
VISIBLE_LIMIT = 10.0  # seconds of polling for the new title
LINGER = 3.0  # the publishing process stays this long (the proxy purge's repeat comes after 2 s)

GOALS_P99_MS = {"app": 500.0, "proxy": 50.0}
GOAL_VISIBLE_SECONDS = 1.0
GOAL_RENDERS_PER_GENERATION = 1
GENERATION_KEY = "cio:1:page-cache:generation"  # django-redis: KEY_PREFIX "cio", version 1
CACHED = ("hit", "stale")  # X-Page-Cache values of answers not rendered (site_core/caching/page_cache.py)


# --- gunicorn's access log -----------------------------------------------------------------------

ACCESS_LOG_FORMAT = '%(S)s %(E)s %(p)s %(s)s %(m)s "%(U)s" "%(q)s" %({x-page-cache}o)s'


class AccessLogger(Logger):
    """gunicorn's logger with two more atoms: S, when the request started, and E, when it ended
    (epoch seconds, to the 0.1 ms): `--logger-class bench.publish.AccessLogger`."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        end = time.time()
        atoms["E"] = f"{end:.4f}"
        atoms["S"] = f"{end - request_time.total_seconds():.4f}"
        return atoms


def gunicorn_args(access_log: Path) -> list[str]:
    return [
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--logger-class",
        "bench.publish.AccessLogger",
    ]


# --- the figures (pure: tests/test_bench_publish.py) ---------------------------------------------


@dataclass(frozen=True)
class Access:
    """One line of the access log."""

    start: float
    end: float
    worker: str
    status: int
    url: str  # path, and ?query when there is one
    page_cache: str  # X-Page-Cache, "-" when absent

    @property
    def rendered(self) -> bool:
        """Counted as a render. A 304 loses X-Page-Cache (Django's Not Modified keeps only the caching
        headers), whether the page was rendered or came from the cache: it is counted, and reported
        apart (`unlabelled_304`), so renders are never under-counted."""
        return self.page_cache not in CACHED


_ACCESS = re.compile(
    r"^(?P<start>\d+\.\d+) (?P<end>\d+\.\d+) <(?P<worker>\d+)> (?P<status>\d{3}) (?P<method>\S+)"
    r' "(?P<path>[^"]*)" "(?P<query>[^"]*)" (?P<page_cache>\S+)$'
)


def parse_access(line: str) -> Access | None:
    """One access-log line (`ACCESS_LOG_FORMAT`); None for anything else (a HEAD, a stray line)."""
    found = _ACCESS.match(line.strip())
    if not found or found["method"] != "GET":
        return None
    query = found["query"]
    return Access(
        start=float(found["start"]),
        end=float(found["end"]),
        worker=found["worker"],
        status=int(found["status"]),
        url=found["path"] + (f"?{query}" if query and query != "-" else ""),
        page_cache=found["page_cache"],
    )


def parse_access_log(text: str) -> list[Access]:
    return [access for access in map(parse_access, text.splitlines()) if access is not None]


def in_window(accesses: list[Access], start: float, seconds: float) -> list[Access]:
    """The requests that started within [start, start + seconds)."""
    return [a for a in accesses if start <= a.start < start + seconds]


def renders_per_url(accesses: list[Access]) -> Counter:
    return Counter(a.url for a in accesses if a.rendered)


def generation_at(changes: list[float], moment: float) -> int:
    """Which generation was current at `moment`: 0 before the first change, n after the n-th."""
    return sum(1 for changed in changes if changed <= moment)


def renders_per_generation(accesses: list[Access], changes: list[float]) -> Counter:
    """Renders per (URL, generation), each render charged to the generation current when it started."""
    return Counter((a.url, generation_at(changes, a.start)) for a in accesses if a.rendered)


@dataclass
class WrkFigures:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int  # connect, read, write, timeout
    status_errors: int  # answers with a status of 400 or more
    statuses: dict = field(default_factory=dict)  # status -> answers
    caches: dict = field(default_factory=dict)  # "X-Cache-Status/X-Page-Cache" -> answers

    @property
    def errors(self) -> int:
        return self.socket_errors + self.status_errors

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class WrkOutputError(ValueError):
    """wrk's output lacks the line the Lua script's done() prints."""


def parse_wrk_json(output: str) -> WrkFigures:
    """The `BENCH-JSON {...}` line printed by the Lua script's done()."""
    for line in output.splitlines():
        if line.startswith("BENCH-JSON "):
            data = json.loads(line[len("BENCH-JSON ") :])
            break
    else:
        raise WrkOutputError(f"no BENCH-JSON line in wrk's output (was it run with the bench's script?):\n{output}")
    return WrkFigures(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        socket_errors=sum(int(data[k]) for k in ("connect", "read", "write", "timeout")),
        status_errors=int(data["status"]),
        statuses={str(k): int(v) for k, v in data.get("statuses", {}).items()},
        caches={str(k): int(v) for k, v in data.get("caches", {}).items()},
    )


@dataclass
class PathFigures:
    """One run through one path (app or proxy)."""

    path: str  # "app" or "proxy"
    run: int
    wrk: WrkFigures
    urls: int
    renders: dict  # URL -> renders started in the window after the publish
    renders_per_generation: dict  # "generation URL" -> renders, in the window
    renders_before: int  # renders started between the load's start and the publish
    generations: int  # generations current at some moment of the window
    app_requests: int  # requests gunicorn answered in the window
    app_errors: int  # of which not 2xx/3xx
    slowest_render_ms: float  # the longest render in the window, as gunicorn timed it
    publish_seconds: float  # how long the publish took (save_revision().publish())
    publish_at: float  # seconds after the load started
    window_seconds: float  # the window, cut short if the load ended before its end
    visible_seconds: float | None  # from the start of the publish to the title on both pages
    load_average: float  # the machine's 1-minute load at the end of the run
    visible_after_return: float | None = None  # the same from the publish's return (negative: before it)
    generation_changes: list = field(default_factory=list)  # seconds after the publish began, in the window
    unlabelled_304: int = 0  # of the renders counted: 304s without X-Page-Cache (a render or a hit)
    publish_epoch: float = 0.0  # when the publish began (epoch seconds), to find it in the access log

    @property
    def max_renders(self) -> int:
        return max(self.renders.values(), default=0)

    @property
    def rendered_more_than_once(self) -> int:
        return sum(1 for count in self.renders.values() if count > 1)

    @property
    def max_renders_per_generation(self) -> int:
        return max(self.renders_per_generation.values(), default=0)


def off_goal(runs: list[PathFigures]) -> list[str]:
    """What misses the issue's goals (nothing when all are met)."""
    problems = []
    for figures in runs:
        name = f"{figures.path} (run {figures.run})"
        goal = GOALS_P99_MS[figures.path]
        if figures.wrk.p99_ms >= goal:
            problems.append(f"{name}: p99 {figures.wrk.p99_ms:.1f} ms (goal: under {goal:.0f} ms)")
        if figures.wrk.errors:
            problems.append(
                f"{name}: {figures.wrk.errors} error(s) ({figures.wrk.status_errors} answers >= 400,"
                f" {figures.wrk.socket_errors} socket errors; goal: none)"
            )
        if figures.max_renders_per_generation > GOAL_RENDERS_PER_GENERATION:
            twice = sorted(key for key, count in figures.renders_per_generation.items() if count > 1)
            problems.append(
                f"{name}: up to {figures.max_renders_per_generation} renders of one URL in one generation"
                f" ({len(twice)} URL-generation(s), e.g. {twice[0]}; goal: at most one)"
            )
        if figures.visible_seconds is None:
            problems.append(f"{name}: the new title not visible within {VISIBLE_LIMIT:.0f} s")
        elif figures.visible_seconds > GOAL_VISIBLE_SECONDS:
            problems.append(
                f"{name}: the new title visible after {figures.visible_seconds:.2f} s"
                f" (goal: within {GOAL_VISIBLE_SECONDS:.0f} s)"
            )
        if figures.window_seconds < WINDOW:
            problems.append(
                f"{name}: the load ended {figures.window_seconds:.1f} s after the publish, not {WINDOW:.0f}"
                " (renders not counted over the whole window: lengthen BENCH_PUBLISH_SECONDS)"
            )
    return problems


HEADER = [
    "path",
    "run",
    "requests",
    "req/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "errors",
    "renders before",
    "renders after",
    "URLs >1",
    "max/URL",
    "generations",
    "max/URL/gen",
    "publish s",
    "visible s",
    "load",
]


def table_cells(figures: PathFigures) -> list[str]:
    return [
        figures.path,
        str(figures.run),
        f"{figures.wrk.requests:,}",
        f"{figures.wrk.requests_per_second:,.0f}",
        f"{figures.wrk.p50_ms:.1f}",
        f"{figures.wrk.p99_ms:.1f}",
        f"{figures.wrk.max_ms:.0f}",
        str(figures.wrk.errors),
        str(figures.renders_before),
        str(sum(figures.renders.values())),
        f"{figures.rendered_more_than_once} of {figures.urls}",
        str(figures.max_renders),
        str(figures.generations),
        str(figures.max_renders_per_generation),
        f"{figures.publish_seconds:.2f}",
        "-" if figures.visible_seconds is None else f"{figures.visible_seconds:.2f}",
        f"{figures.load_average:.1f}",
    ]


def format_table(runs: list[PathFigures], markdown: bool = False) -> str:
    """One line per path and run, then the verdict."""
    lines = [table_cells(figures) for figures in runs]
    if markdown:
        out = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] + ["---:"] * (len(HEADER) - 1)) + "|"]
        return "\n".join(out + ["| " + " | ".join(cells) + " |" for cells in lines])
    widths = [max(len(cells[i]) for cells in [HEADER, *lines]) for i in range(len(HEADER))]

    def fmt(cells):
        return "  ".join([cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)])

    problems = off_goal(runs)
    verdict = "verdict: " + ("; ".join(problems) if problems else "every goal met")
    return "\n".join([fmt(HEADER), "  ".join("-" * w for w in widths), *map(fmt, lines), verdict])


def format_details(figures: PathFigures) -> str:
    """What the table leaves out: what wrk saw per cache state, the busiest URLs after the publish."""
    caches = ", ".join(f"{state} {count:,}" for state, count in sorted(figures.wrk.caches.items()))
    statuses = ", ".join(f"{status}: {count:,}" for status, count in sorted(figures.wrk.statuses.items()))
    busiest = sorted(figures.renders.items(), key=lambda item: (-item[1], item[0]))[:5]
    return "\n".join(
        [
            f"{figures.path} (run {figures.run}): publish at {figures.publish_at:.1f} s into the load, took"
            f" {figures.publish_seconds:.3f} s; visible "
            + (
                "never"
                if figures.visible_after_return is None
                else f"{figures.visible_after_return:+.3f} s from its return"
            )
            + f"; p90 {figures.wrk.p90_ms:.1f} ms",
            "  generation replaced at (s after the publish began): "
            + (", ".join(f"{moment:.3f}" for moment in figures.generation_changes) or "never"),
            f"  answers by status: {statuses}; by X-Cache-Status/X-Page-Cache: {caches}",
            f"  gunicorn in the {figures.window_seconds:.0f} s after the publish: {figures.app_requests:,} requests,"
            f" {figures.app_errors} not 2xx/3xx, slowest render {figures.slowest_render_ms:.0f} ms"
            + (f" ({figures.unlabelled_304} 304s counted as renders)" if figures.unlabelled_304 else "")
            + ";"
            " most renders: " + (", ".join(f"{url} {count}" for url, count in busiest) or "none"),
        ]
    )


def as_json(runs: list[PathFigures]) -> dict:
    return {
        "settings": {
            "urls": URLS,
            "seconds": SECONDS,
            "publish_at": AT,
            "window": WINDOW,
            "rate": RATE,
            "connections": CONNECTIONS,
            "threads": THREADS,
        },
        "runs": [
            {
                **asdict(figures),
                "max_renders": figures.max_renders,
                "rendered_more_than_once": figures.rendered_more_than_once,
                "max_renders_per_generation": figures.max_renders_per_generation,
                "errors": figures.wrk.errors,
            }
            for figures in runs
        ],
        "problems": off_goal(runs),
        "table_markdown": format_table(runs, markdown=True),
    }


# --- wrk's script --------------------------------------------------------------------------------

LUA = """-- Written by bench/publish.py: rotate through the bench's URLs; count answers by status and cache.
local paths = {%(paths)s}
local delay_ms = %(delay_ms)d
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  position = (id or 1) * 7
  statuses = {}
  caches = {}
end

function request()
  position = position + 1
  return wrk.format("GET", paths[(position %% #paths) + 1])
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function response(status, headers, body)
  local s = tostring(status)
  statuses[s] = (statuses[s] or 0) + 1
  local c = (headers["X-Cache-Status"] or "-") .. "/" .. (headers["X-Page-Cache"] or "-")
  caches[c] = (caches[c] or 0) + 1
end

local function merge(into, from)
  for k, v in pairs(from or {}) do
    into[k] = (into[k] or 0) + v
  end
end

local function object(t)
  local parts = {}
  for k, v in pairs(t) do
    table.insert(parts, string.format("%%q:%%d", k, v))
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local all_statuses, all_caches = {}, {}
  for _, thread in ipairs(threads) do
    merge(all_statuses, thread:get("statuses"))
    merge(all_caches, thread:get("caches"))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests":%%d,"duration_us":%%.0f,"connect":%%d,"read":%%d,"write":%%d,"status":%%d,'
    .. '"timeout":%%d,"p50_us":%%.0f,"p90_us":%%.0f,"p99_us":%%.0f,"max_us":%%.0f,"statuses":%%s,"caches":%%s}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    object(all_statuses), object(all_caches)))
end
"""


def lua_script(paths: list[str], rate: int, connections: int) -> str:
    """wrk's script: every connection waits connections / rate seconds between an answer and its next
    request (about `rate` requests a second in all while answers are fast); rate 0: no wait."""
    if not paths or any('"' in p or "\\" in p or "\n" in p for p in paths):
        raise ValueError(f"unusable paths for the script: {paths!r}")
    delay_ms = round(connections * 1000 / rate) if rate > 0 else 0
    return LUA % {"paths": ", ".join(f'"{p}"' for p in paths), "delay_ms": delay_ms}


# --- the app's side, in a subprocess (production settings, the bench's database) -----------------


def page_path(page) -> str:
    return page.get_url_parts()[2]


def choose_urls(limit: int) -> dict:
    """The home pages, the section listings under them, then the newest detail pages of each kind in
    each language, in turn, up to `limit`; the release to publish (the newest English one) and the news
    listing that shows it."""
    from wagtail.models import Site

    from challenges.models import ChallengePage
    from jobs.models import JobPostingPage
    from news.models import NewsIndexPage, NewsReleasePage, PartnerStoryPage
    from site_core.models.indexes import IndexPage

    home = Site.objects.get(is_default_site=True).root_page.specific
    homes = [home, *home.get_translations().live().public().order_by("locale__language_code")]
    paths = [page_path(page) for page in homes]
    for section in homes:
        children = section.get_children().live().public().specific().order_by("path")
        paths += [page_path(child) for child in children if isinstance(child, IndexPage)]
    news_index = NewsIndexPage.objects.live().filter(locale__language_code="en").first()
    kinds = [
        (NewsReleasePage, ("-release_date", "-pk")),
        (ChallengePage, ("-first_published_at", "-pk")),
        (JobPostingPage, ("-first_published_at", "-pk")),
        (PartnerStoryPage, ("-first_published_at", "-pk")),
    ]
    queues = [
        list(model.objects.live().public().filter(locale__language_code=language).order_by(*order)[:limit])
        for model, order in kinds
        for language in ("en", "fr")
    ]
    release = queues[0][0]
    while len(paths) < limit and any(queues):
        for queue in queues:
            if queue and len(paths) < limit:
                path = page_path(queue.pop(0))
                if path not in paths:
                    paths.append(path)
    return {
        "paths": paths[:limit],
        "release_id": release.pk,
        "release_title": release.title,
        "release_path": page_path(release),
        "listing_path": page_path(news_index),
    }


def publish_when_told(page_id: int, title: str) -> dict:
    """bench/probe.py's publish, at the epoch the bench sends on stdin once this process is ready (its
    start, Django's set-up, is not charged to the load)."""
    from wagtail.models import Page

    from bench.probe import publish
    from site_core.caching.proxy_cache import change_urls

    # Warm, as a running app server is: the first call resolves the site's URLs (0.4 s here, 0.08 s after).
    change_urls(Page.objects.get(pk=page_id).specific)
    print("READY", flush=True)
    at = float(sys.stdin.readline())
    time.sleep(max(0.0, at - time.time()))
    return publish(page_id, title)


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *args = argv
    if command == "urls":
        print(json.dumps(choose_urls(int(args[0]))), flush=True)
    elif command == "publish":
        print(json.dumps(publish_when_told(int(args[0]), args[1])), flush=True)
        # As an app server would: the process lives on, and its proxy purge is sent again 2 s later.
        time.sleep(float(args[2]))
    else:
        raise SystemExit(f"unknown command {command!r}")


# --- the bench's side ----------------------------------------------------------------------------


def helper(env: dict, *args: str, stdin: str = "") -> dict:
    done = subprocess.run(
        [PY, str(ROOT / "bench" / "publish.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True, input=stdin
    )
    if done.returncode:
        raise SystemExit(f"make bench: bench/publish.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class GenerationWatch:
    """The page cache's generation token read from Redis every 2 ms: when it changed."""

    def __init__(self, redis_url: str):
        import redis

        self.client = redis.Redis.from_url(redis_url)
        self.changes: list[float] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)

    def start(self) -> GenerationWatch:
        self.last = self.client.get(GENERATION_KEY)
        self.thread.start()
        return self

    def watch(self) -> None:
        while not self.stopped.is_set():
            value = self.client.get(GENERATION_KEY)
            if value != self.last:
                self.changes.append(time.time())
                self.last = value
            time.sleep(0.002)

    def stop(self) -> list[float]:
        self.stopped.set()
        self.thread.join()
        self.client.close()
        return self.changes


def watch_visible(fetch, urls: list[str], marker: str, begin: float, limit: float) -> dict:
    """Poll each URL every 10 ms from `begin` until all show `marker`: when each first did."""
    seen: dict[str, float] = {}
    time.sleep(max(0.0, begin - time.time()))
    deadline = time.time() + limit
    while time.time() < deadline and len(seen) < len(urls):
        for url in urls:
            if url not in seen:
                try:
                    _, _, body = fetch(url)
                except OSError:
                    continue
                if marker.encode() in body:
                    seen[url] = time.time()
        time.sleep(0.01)
    return seen


def warm(fetch, base: str, paths: list[str]) -> int:
    """Fetch every URL twice (the page cache and the proxy then hold it); the second answers that
    were not served from a cache."""
    uncached = 0
    for path in paths:
        for attempt in range(2):
            status, headers, _ = fetch(base + path)
            if status != 200:
                raise SystemExit(f"make bench: {base}{path} answered {status}")
            state = headers.get("X-Cache-Status") or headers.get("X-Page-Cache")
            if attempt and state not in ("HIT", "hit"):
                uncached += 1
    return uncached


def measure_path(
    env: dict, chosen: dict, *, path: str, run: int, base: str, access_log: Path, redis_url: str, fetch, say, work: Path
) -> PathFigures:
    paths = chosen["paths"]
    uncached = warm(fetch, base, paths)
    if uncached:
        say(f"  {uncached} of {len(paths)} URLs not served from a cache on their 2nd request through {path}")
    offset = access_log.stat().st_size
    script = work / f"publish-{path}.lua"
    script.write_text(lua_script(paths, RATE, CONNECTIONS))
    marker = f"Publish bench {time.strftime('%H%M%S')} {path}"
    publisher = subprocess.Popen(
        [
            PY,
            str(ROOT / "bench" / "publish.py"),
            "publish",
            str(chosen["release_id"]),
            f"{chosen['release_title']} {marker}",
            str(LINGER),
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    load = None
    try:  # a failure here leaves neither wrk nor the publishing process behind
        if publisher.stdout.readline().strip() != "READY":
            raise SystemExit("make bench: the publishing process did not start")
        args = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "--timeout", "10s", "-s"]
        began = time.time()
        load = subprocess.Popen([*args, str(script), base + paths[0]], stdout=subprocess.PIPE, text=True)
        at = began + AT
        publisher.stdin.write(f"{at}\n")
        publisher.stdin.flush()
        generations = GenerationWatch(redis_url).start()
        watched = [base + chosen["release_path"], base + chosen["listing_path"]]
        seen: dict = {}
        poller = threading.Thread(
            target=lambda: seen.update(watch_visible(fetch, watched, marker, at - 0.2, VISIBLE_LIMIT)), daemon=True
        )
        poller.start()
        output, _ = load.communicate(timeout=SECONDS + 60)
        ended = time.time()
        published, _ = publisher.communicate(timeout=120)
        poller.join(timeout=VISIBLE_LIMIT + 5)
        changes = generations.stop()
    finally:
        for process in (load, publisher):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    if load.returncode or publisher.returncode:
        raise SystemExit(f"make bench: wrk ({load.returncode}) or the publish ({publisher.returncode}) failed")
    times = json.loads(published.strip().splitlines()[-1])
    started = times["started"]
    wrk = parse_wrk_json(output)
    with access_log.open() as log:
        log.seek(offset)
        accesses = parse_access_log(log.read())
    window = in_window(accesses, started, WINDOW)
    before = in_window(accesses, began, started - began)
    renders = [a for a in window if a.rendered]
    visible = max(seen.values()) - started if len(seen) == len(watched) else None
    say(f"  restoring the release's title ({path})")
    helper(env, "publish", str(chosen["release_id"]), chosen["release_title"], "0", stdin="0\n")
    return PathFigures(
        path=path,
        run=run,
        wrk=wrk,
        urls=len(paths),
        renders=dict(renders_per_url(window)),
        renders_per_generation={
            f"{generation} {url}": count for (url, generation), count in renders_per_generation(window, changes).items()
        },
        renders_before=sum(renders_per_url(before).values()),
        generations=1 + len(in_window_times(changes, started, WINDOW)),
        generation_changes=[round(moment - started, 3) for moment in in_window_times(changes, started, WINDOW)],
        app_requests=len(window),
        app_errors=sum(1 for a in window if not 200 <= a.status < 400),
        slowest_render_ms=max(((a.end - a.start) * 1000 for a in renders), default=0.0),
        publish_seconds=round(times["published"] - started, 3),
        publish_at=round(started - began, 2),
        window_seconds=round(min(WINDOW, ended - started), 1),
        visible_seconds=None if visible is None else round(visible, 3),
        visible_after_return=None if visible is None else round(visible + started - times["published"], 3),
        unlabelled_304=sum(1 for a in renders if a.status == 304 and a.page_cache == "-"),
        publish_epoch=started,
        load_average=os.getloadavg()[0],
    )


def in_window_times(moments: list[float], start: float, seconds: float) -> list[float]:
    return [moment for moment in moments if start <= moment < start + seconds]


def measure(
    env: dict, *, runs: int, app_port: int, proxy_port: int, redis_url: str, start_servers, fetch, say, work: Path
) -> list[PathFigures]:
    """The whole scenario (see the module's docstring). `start_servers(access_log)` is bench/run.py's:
    gunicorn with that access log (`gunicorn_args`) and nginx in front of it."""
    chosen = helper(env, "urls", str(URLS))
    say(
        f"publish under load: {len(chosen['paths'])} URLs, {SECONDS} s per path at about {RATE or 'max'} req/s"
        f" ({CONNECTIONS} connections), publishing {chosen['release_path']} at {AT:.0f} s, renders counted"
        f" {WINDOW:.0f} s after"
    )
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    access_log = logs / "gunicorn-publish-access.log"
    access_log.unlink(missing_ok=True)
    start_servers(access_log)
    results = []
    for run in range(1, runs + 1):
        for path, port in (("app", app_port), ("proxy", proxy_port)):
            figures = measure_path(
                env,
                chosen,
                path=path,
                run=run,
                base=f"http://127.0.0.1:{port}",
                access_log=access_log,
                redis_url=redis_url,
                fetch=fetch,
                say=say,
                work=work,
            )
            say(
                f"  run {run} {path:5} p50 {figures.wrk.p50_ms:.1f} ms p99 {figures.wrk.p99_ms:.1f} ms,"
                f" {figures.wrk.errors} errors, {sum(figures.renders.values())} renders after the publish"
                f" (max {figures.max_renders} per URL, {figures.max_renders_per_generation} per URL and generation),"
                " visible " + ("never" if figures.visible_seconds is None else f"after {figures.visible_seconds:.2f} s")
            )
            results.append(figures)
            time.sleep(2)  # the restore's renders and purges
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
