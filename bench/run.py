"""`make bench`: the site under load on this machine, against nginx serving the same HTML as a file.

Prepares a PostgreSQL database (reused between runs; the content commands only add what is
missing), starts gunicorn (production settings, 2 workers of 4 threads) and nginx (the caching proxy of
deploy/nginx/ in front of it, plus a static server) on loopback, runs wrk on each page in each mode,
and prints one table. Every process it starts is stopped on exit, Ctrl-C or failure. Before the load,
with nothing else running, it measures the panel scores export (bench/exports.py: 5,000 scored
applications as CSV and XLSX, in-process) and fails at the end when that is over its budget.

Settings (environment): BENCH_RUNS (3), BENCH_SECONDS (10), BENCH_WARMUP (2), BENCH_CONNECTIONS (16),
BENCH_THREADS (2), BENCH_DB (cio_bench), BENCH_PG (postgres://postgres@127.0.0.1:5432),
BENCH_REDIS (redis://127.0.0.1:6379/5), BENCH_DIR (/tmp/cio_bench), BENCH_PORT (8100: gunicorn;
+1 the proxy, +2 the static server), BENCH_BULK_ARGS (extra generate_bulk_content arguments),
BENCH_UNCACHED_COOKIE (messages=cio-bench-uncached: a waiting-messages cookie, which makes the page
cache step aside), BENCH_SESSION_COOKIE (sessionid=<a session that does not exist>: a visitor whose
session holds nothing a page shows, served the cached page),
BENCH_ONLY (exports: the export measurement alone, without nginx, wrk or gunicorn; alerts: the email
alerts measurement alone (bench/alerts.py: gunicorn and an SMTP sink, no nginx or wrk); load: the load
alone; publish: a publish under load alone (bench/publish.py: gunicorn, nginx and wrk, BENCH_RUNS runs
through each of the app and the proxy); render: the median CPU time of an uncached render of each
page, in one process (bench/render_cpu.py; not part of the full run)). The alerts scenario's own
settings: BENCH_ALERTS_SUBSCRIBERS (20000), BENCH_ALERTS_RUNS (5), BENCH_ALERTS_SAMPLE (2000).
The publish scenario's (after the load, on
servers started again with gunicorn's access log): BENCH_PUBLISH_URLS (60), BENCH_PUBLISH_SECONDS (20: of
load per path and run), BENCH_PUBLISH_AT (5: the publish, seconds into the load), BENCH_PUBLISH_WINDOW
(10: renders counted that long after the publish), BENCH_PUBLISH_RATE (500 requests a second in all; 0:
as fast as answered), BENCH_PUBLISH_CONNECTIONS (16).
"""

# ruff: noqa: S603, S108 -- runs fixed local tools (nginx, wrk, gunicorn) on loopback, in its own dir

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import alerts
from bench import publish as publish_load
from bench.exports import FORMATS, VIEWERS, ExportFigures, format_figures, over_budget
from bench.report import Row, format_table, median_result, page_assets, parse_wrk, render_template, third_party

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
# As docs/operations.md runs it: threads keep connections alive and overlap database waits (a page
# cache hit: 1,520 req/s with 2 sync workers, 2,050 with 2 workers of 4 threads, on the 2 cores here).
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "--workers 2 --worker-class gthread --threads 4")
DEPLOY = ROOT / "deploy" / "nginx"

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
DB_NAME = os.environ.get("BENCH_DB", "cio_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/5")
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/cio_bench"))
APP_PORT = int(os.environ.get("BENCH_PORT", "8100"))
PROXY_PORT, STATIC_PORT = APP_PORT + 1, APP_PORT + 2
UNCACHED_COOKIE = os.environ.get("BENCH_UNCACHED_COOKIE", "messages=cio-bench-uncached")
SESSION_COOKIE = os.environ.get("BENCH_SESSION_COOKIE", "sessionid=cio0bench0expired0session0key00000")
PAGES = ["home", "challenges", "news", "month archive", "release", "search"]
ONLY = os.environ.get("BENCH_ONLY", "")

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "site_core.settings.production",
    "SECRET_KEY": "cio-bench-not-secret",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "REDIS_URL": REDIS,
    "STATIC_ROOT": str(WORK / "static"),
    "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{PROXY_PORT}",
    "BENCH_UNCACHED_COOKIE": UNCACHED_COOKIE,
}

started: list[subprocess.Popen] = []


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def fail(message: str) -> None:
    raise SystemExit(f"make bench: {message}")


def manage(*args: str, settings: str = "site_core.settings.production") -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env={**ENV, "DJANGO_SETTINGS_MODULE": settings}, check=True)


def probe(*args: str, script: str = "probe.py") -> dict:
    out = subprocess.run(
        [PY, str(ROOT / "bench" / script), *args], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure_exports() -> list[ExportFigures]:
    """The panel scores export, each format and viewer in a fresh process (its memory figures are its
    own); where the time goes (cProfile) for any export over its budget."""
    made = probe("prepare", script="exports.py")
    say(
        f"panel scores export: challenge {made['challenge_id']}, {made['applications']:,} applications,"
        f" {made['sheets']:,} submitted sheets"
        + (f" (made in {made['made_seconds']} s)" if made["made"] else " (reused)")
    )
    results = []
    for viewer in VIEWERS:
        for export_format in FORMATS:
            figures = ExportFigures(**probe("measure", export_format, viewer, script="exports.py"))
            say(
                f"  {export_format:4} as {viewer:9} {figures.seconds:6.2f} s (max {figures.seconds_max:.2f}),"
                f" peak +{figures.rss_peak_mb:.0f} MB RSS, {figures.bytes:,} bytes"
            )
            if over_budget(figures):
                report = WORK / f"exports-profile-{export_format}-{viewer}.txt"
                report.write_text(
                    subprocess.run(
                        [PY, str(ROOT / "bench" / "exports.py"), "profile", export_format, viewer],
                        cwd=ROOT,
                        env=ENV,
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                )
                say(f"  over budget ({'; '.join(over_budget(figures))}): where the time goes in {report}")
            results.append(figures)
    return results


def print_exports(exports: list[ExportFigures]) -> None:
    print(f"\nPanel scores export (bench/exports.py, {exports[0].runs} run(s) each, in-process): {machine()}")
    print(format_figures(exports))


def measure_alerts() -> alerts.AlertFigures:
    """Email alerts (bench/alerts.py): the publish with and without 20,000 subscribers, their fan-out
    and a sample sent through an SMTP sink, with gunicorn alone (stopped before the load starts)."""
    return alerts.measure(
        ENV,
        app_port=APP_PORT,
        gunicorn=[GUNICORN, "site_core.wsgi:application", *GUNICORN_ARGS.split()],
        start=start,
        wait_for=wait_for,
        say=say,
        logs=WORK / "logs",
    )


def write_alerts(figures: alerts.AlertFigures) -> None:
    """The alerts figures in their own file; the bench fails (exit status 1) when a goal is missed."""
    print(f"\nEmail alerts (bench/alerts.py, {len(figures.publish_with)} run(s) each): {machine()}")
    print(alerts.format_alerts(figures))
    keep_figures("alerts", alerts.as_json(figures), alerts.off_goal(figures), "email alerts: ", "; ")


def measure_publish_load() -> list[publish_load.PathFigures]:
    """A publish under load (bench/publish.py), on servers of its own: gunicorn with its access log."""
    stop_all()
    return publish_load.measure(
        ENV,
        runs=RUNS,
        app_port=APP_PORT,
        proxy_port=PROXY_PORT,
        redis_url=REDIS,
        start_servers=lambda access_log: start_servers({"home": "/en/"}, access_log),
        fetch=fetch,
        say=say,
        work=WORK,
    )


def write_publish_load(runs: list[publish_load.PathFigures]) -> None:
    """The publish figures in their own file; the bench fails (exit status 1) when a goal is missed."""
    print(
        f"\nA publish under load (bench/publish.py, {RUNS} run(s) per path; renders counted at gunicorn,"
        f" {publish_load.WINDOW:.0f} s after the publish): {machine()}"
    )
    print(publish_load.format_table(runs))
    for figures in runs:
        print(publish_load.format_details(figures))
    keep_figures("publish", publish_load.as_json(runs), publish_load.off_goal(runs), "a publish under load: ", "; ")


def check_tools() -> None:
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            fail(f"{tool} is missing: apt-get install nginx libnginx-mod-http-cache-purge wrk")
    from devtools.nginx import missing

    if missing():
        fail(missing())
    if not Path(GUNICORN).exists():
        fail("gunicorn is missing from .venv: run `make setup`")


def nginx_modules() -> str:
    from devtools.nginx import load_modules

    return load_modules()


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def prepare_database() -> None:
    import psycopg2

    try:
        conn = psycopg2.connect(f"{PG}/postgres")
    except psycopg2.OperationalError as error:
        fail(f"PostgreSQL is not reachable at {PG} (BENCH_PG): {error}")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cursor.fetchone():
            say(f"reusing database {DB_NAME} (drop it to start again)")
        else:
            say(f"creating database {DB_NAME}")
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    conn.close()
    say("migrate, translations, demo + bulk content (only what is missing), collectstatic")
    manage("migrate", "--no-input", "-v", "0")
    manage("compile_translations")
    # generate_bulk_content runs load_demo_content first when the demo content is missing.
    # A development command (devtools is not installed in production), on the bench's database.
    manage("generate_bulk_content", *os.environ.get("BENCH_BULK_ARGS", "").split(), settings="site_core.settings.dev")
    manage("collectstatic", "--no-input", "-v", "0")


def start(args: list[str], log: Path, **kwargs) -> subprocess.Popen:
    process = subprocess.Popen(args, stdout=log.open("w"), stderr=subprocess.STDOUT, **kwargs)
    started.append(process)
    return process


def stop_all() -> None:
    for process in reversed(started):
        if process.poll() is None:
            process.terminate()
    for process in reversed(started):
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    started.clear()


def fetch(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)  # noqa: S310 (loopback URLs)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"{process.args[0]} stopped; see {log}:\n{log.read_text()[-2000:]}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    fail(f"{url} did not answer within {seconds} s; see {log}")


def start_servers(urls: dict, access_log: Path | None = None) -> None:
    """gunicorn, and nginx in front of it; with `access_log`, gunicorn logs every request there
    (bench/publish.py's format: when, which worker, the status and X-Page-Cache)."""
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    say(f"gunicorn on 127.0.0.1:{APP_PORT} ({GUNICORN_ARGS}, production settings)")
    gunicorn_log = logs / "gunicorn.log"
    logging_args = publish_load.gunicorn_args(access_log) if access_log else []
    gunicorn = start(
        [
            GUNICORN,
            "site_core.wsgi:application",
            *GUNICORN_ARGS.split(),
            *logging_args,
            "--bind",
            f"127.0.0.1:{APP_PORT}",
        ],
        gunicorn_log,
        cwd=ROOT,
        env=ENV,
    )
    wait_for(f"http://127.0.0.1:{APP_PORT}/en/", gunicorn, gunicorn_log)

    prefix = WORK / "nginx"
    shutil.rmtree(prefix, ignore_errors=True)
    for sub in ("tmp/client", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache", "html"):
        (prefix / sub).mkdir(parents=True)
    # The physical reference: the home page's HTML, saved as served, as a file.
    status, _, html = fetch(f"http://127.0.0.1:{APP_PORT}{urls['home']}")
    if status != 200:
        fail(f"the home page answered {status}")
    (prefix / "html" / "home.html").write_bytes(html)
    conf = prefix / "nginx.conf"
    conf.write_text(
        render_template(
            DEPLOY / "bench.conf.in",
            prefix=prefix,
            workers=2,
            load_modules=nginx_modules(),
            mime_types="/etc/nginx/mime.types",
            deploy=DEPLOY,
            app=f"127.0.0.1:{APP_PORT}",
            proxy_listen=f"127.0.0.1:{PROXY_PORT}",
            static_listen=f"127.0.0.1:{STATIC_PORT}",
            static_root=ENV["STATIC_ROOT"],
            static_ref=prefix / "html",
        )
    )
    nginx = [nginx_binary(), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    check = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
    if check.returncode:
        fail(f"nginx -t failed:\n{check.stderr}")
    say(f"nginx: caching proxy on 127.0.0.1:{PROXY_PORT}, static reference on 127.0.0.1:{STATIC_PORT}")
    nginx_process = start(nginx, logs / "nginx.log")
    wait_for(f"http://127.0.0.1:{STATIC_PORT}/home.html", nginx_process, prefix / "error.log")


def wrk(url: str, seconds: int, headers: dict) -> str:
    args = ["wrk", "--latency", "--timeout", "10s", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    return subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout


def settle(seconds: int = 60) -> None:
    """Wait until gunicorn has worked through the requests wrk left queued (a slow page can leave a
    backlog that would otherwise be charged to the next measurement)."""
    deadline = time.monotonic() + seconds
    url = f"http://127.0.0.1:{APP_PORT}/static/css/print.css"
    while time.monotonic() < deadline:
        begin = time.monotonic()
        fetch(url)
        if time.monotonic() - begin < 0.02:
            return
        time.sleep(0.1)


def modes() -> dict[str, tuple[str, dict]]:
    return {
        "app, uncached": (f"http://127.0.0.1:{APP_PORT}", {"Cookie": UNCACHED_COOKIE}),
        "app, cached": (f"http://127.0.0.1:{APP_PORT}", {}),
        "app, session": (f"http://127.0.0.1:{APP_PORT}", {"Cookie": SESSION_COOKIE}),
        "proxy": (f"http://127.0.0.1:{PROXY_PORT}", {}),
    }


def check_pages(urls: dict) -> dict:
    """Every page answers 200 in every mode; what the proxy says about caching it."""
    cache_status = {}
    for page in PAGES:
        for mode, (base, headers) in modes().items():
            status, response_headers, _ = fetch(base + urls[page], headers)
            if status != 200:
                fail(f"{page} ({urls[page]}) answered {status} in mode {mode}")
            if mode == "proxy":
                status, response_headers, _ = fetch(base + urls[page], headers)
                cache_status[page] = response_headers.get("X-Cache-Status", "?")
    return cache_status


def measure_load(urls: dict) -> tuple[list[Row], float]:
    runs: dict[tuple[str, str], list] = {}
    static_url = f"http://127.0.0.1:{STATIC_PORT}/home.html"
    for run in range(1, RUNS + 1):
        say(f"run {run}/{RUNS}: {SECONDS} s per page and mode after {WARMUP} s of warm-up")
        targets = [("home (static file)", "nginx static", static_url, {})]
        for page in PAGES:
            for mode, (base, headers) in modes().items():
                targets.append((page, mode, base + urls[page], headers))
        for page, mode, url, headers in targets:
            if WARMUP:
                wrk(url, WARMUP, headers)
                settle()
            result = parse_wrk(wrk(url, SECONDS, headers))
            settle()
            runs.setdefault((page, mode), []).append(result)
            say(f"  {page:18} {mode:14} {result.requests_per_second:9,.0f} req/s  p99 {result.p99_ms:.1f} ms")
    rows = [Row(page, mode, median_result(results)) for (page, mode), results in runs.items()]
    reference = next(r.result.requests_per_second for r in rows if r.mode == "nginx static")
    return rows, reference


def measure_sizes(urls: dict) -> dict:
    proxy = f"http://127.0.0.1:{PROXY_PORT}"
    _, _, html = fetch(proxy + urls["home"])
    assets = page_assets(html.decode())
    sizes = {}
    for asset in assets:
        if third_party([asset]):
            continue
        status, _, body = fetch(proxy + urlsplit(asset).path)
        sizes[asset] = {"status": status, "bytes": len(body), "gzip": len(gzip.compress(body, compresslevel=5))}
    return {
        "home_html_bytes": len(html),
        "home_html_gzip": len(gzip.compress(html, compresslevel=5)),
        "assets": sizes,
        "assets_gzip_total": sum(s["gzip"] for s in sizes.values()),
        "third_party": third_party(assets),
    }


def measure_publish(urls: dict, limit: float = 15.0) -> dict:
    """Publish a new title on the release while polling the proxy (every 10 ms) for it; then put
    the old title back."""
    url = f"http://127.0.0.1:{PROXY_PORT}{urls['release']}"
    fetch(url)
    fetch(url)  # cached now
    marker = f"Bench {int(time.time())}"
    original = urls["release_title"]
    seen: list[float] = []

    def poll():
        deadline = time.time() + limit
        while time.time() < deadline:
            _, _, body = fetch(url)
            if marker.encode() in body:
                seen.append(time.time())
                return
            time.sleep(0.01)

    poller = threading.Thread(target=poll)
    poller.start()
    times = probe("publish", str(urls["release_id"]), f"{original} {marker}")
    poller.join()
    probe("publish", str(urls["release_id"]), original)
    return {
        "publish_seconds": round(times["published"] - times["started"], 3),
        "visible_after_start": round(seen[0] - times["started"], 3) if seen else None,
        "visible_after_publish": round(seen[0] - times["published"], 3) if seen else None,
        "limit_seconds": limit,
    }


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores ({cpu}), {os.uname().sysname} {os.uname().release}"


def main() -> None:
    if ONLY not in ("", "exports", "alerts", "load", "publish", "render"):
        fail(f"BENCH_ONLY={ONLY!r}: exports, alerts, load, publish or render")
    if ONLY in ("", "load", "publish"):
        check_tools()
    elif ONLY == "alerts" and not Path(GUNICORN).exists():
        fail("gunicorn is missing from .venv: run `make setup`")
    WORK.mkdir(parents=True, exist_ok=True)
    prepare_database()
    exports = measure_exports() if ONLY in ("", "exports") else []
    if ONLY == "exports":
        print_exports(exports)
        write_exports(exports)
        return
    alert_figures = measure_alerts() if ONLY in ("", "alerts") else None
    if ONLY == "alerts":
        write_alerts(alert_figures)
        return
    if ONLY == "publish":
        write_publish_load(measure_publish_load())
        return
    if ONLY == "render":  # the CPU time of one uncached render per page (bench/render_cpu.py), in one process
        subprocess.run([PY, str(ROOT / "bench" / "render_cpu.py")], env=ENV, check=True)
        return
    urls = probe("urls")
    say(f"{urls['releases']:,} live releases; pages: " + ", ".join(urls[p] for p in PAGES))
    say("SQL queries per page (second request, Django test client, production settings)")
    queries = probe("queries", *(urls[p] for p in PAGES))
    start_servers(urls)
    cache_status = check_pages(urls)
    sizes = measure_sizes(urls)
    publish = measure_publish(urls)
    rows, reference = measure_load(urls)

    print()
    print(f"make bench: {machine()}; {RUNS} run(s) of {SECONDS} s, {CONNECTIONS} connections, {THREADS} threads")
    print(f"ratio = req/s / nginx serving the home page's HTML as a file ({reference:,.0f} req/s)\n")
    print(format_table(rows, reference))
    print("\nSQL queries (anonymous / with the uncached cookie), and the proxy's X-Cache-Status on a 2nd request:")
    for page in PAGES:
        counts = queries[urls[page]]
        print(
            f"  {page:14} {urls[page]:40} {counts['cached']['queries']:3} / {counts['uncached']['queries']:3}"
            f"   proxy: {cache_status[page]}"
        )
    print(f"\nhome page HTML: {sizes['home_html_bytes']:,} bytes ({sizes['home_html_gzip']:,} gzip)")
    print(f"CSS + JS on the home page: {sizes['assets_gzip_total']:,} bytes gzip in {len(sizes['assets'])} file(s)")
    for asset, size in sizes["assets"].items():
        print(f"  {asset}: {size['bytes']:,} bytes, {size['gzip']:,} gzip (HTTP {size['status']})")
    print(f"third-party CSS/JS: {', '.join(sizes['third_party']) or 'none'}")
    if publish["visible_after_start"] is None:
        print(f"publish to visible through the proxy: not within {publish['limit_seconds']:.0f} s (no purge arrived)")
    else:
        print(
            f"publish to visible through the proxy: {publish['visible_after_start']:.3f} s after publishing began"
            f" ({publish['visible_after_publish']:+.3f} s from the return of publish(), which took"
            f" {publish['publish_seconds']:.3f} s; the purge follows the commit, from a background thread)"
        )
    results = {
        "machine": machine(),
        "runs": RUNS,
        "seconds": SECONDS,
        "connections": CONNECTIONS,
        "urls": urls,
        "queries": queries,
        "cache_status": cache_status,
        "sizes": sizes,
        "publish": publish,
        "nginx_static_rps": reference,
        "rows": [{"page": r.page, "mode": r.mode, **r.result.__dict__} for r in rows],
        "table_markdown": format_table(rows, reference, markdown=True),
    }
    (WORK / "results.json").write_text(json.dumps(results, indent=2))
    print(f"\nresults: {WORK / 'results.json'}")
    failures = []
    if not ONLY:
        try:
            write_publish_load(measure_publish_load())
        except SystemExit as failure:
            failures.append(str(failure))
    if exports:
        print_exports(exports)
        try:
            write_exports(exports)
        except SystemExit as failure:
            failures.append(str(failure))
    if alert_figures is not None:
        try:
            write_alerts(alert_figures)
        except SystemExit as failure:
            failures.append(str(failure))
    if failures:
        raise SystemExit("\n".join(failures))


def write_exports(exports: list[ExportFigures]) -> None:
    """The export figures in their own file; the bench fails (exit status 1) when one is over budget."""
    problems = [f"{f.export_format} as {f.viewer}: {'; '.join(over_budget(f))}" for f in exports if over_budget(f)]
    figures = {"exports": [each.__dict__ for each in exports]}
    keep_figures("exports", figures, problems, "the panel scores export is over its budget: ", ", ")


def keep_figures(name: str, figures: dict, problems: list[str], failure: str, separator: str) -> None:
    """A scenario's figures in WORK/<name>.json (with the machine); the bench fails (exit status 1)
    when the scenario names problems (goals missed, budgets passed)."""
    path = WORK / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **figures}, indent=2))
    print(f"{name} figures: {path}")
    if problems:
        fail(failure + separator.join(problems))


def _terminate(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    try:
        main()
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
    finally:
        stop_all()
