"""The CPU time one uncached render of a page takes, in one process (issue 24, item 3): the median of
BENCH_RENDERS renders of each page after BENCH_RENDER_WARMUP, measured with time.process_time (what
the app server spends, whatever else the machine runs). Runs with the production settings on the
bench database (as `make bench` leaves it), the page cache off, the shared cache on Redis.

    python bench/render_cpu.py                 -> a table of median / p90 CPU ms per page, and the
                                                  median of renders right after a content change (cold)
    python bench/render_cpu.py --profile PAGE  -> cProfile's costliest functions for PAGE, in CPU time

Environment: as bench/run.py (BENCH_DB, BENCH_PG); BENCH_RENDER_REDIS (redis://127.0.0.1:6379/6).
"""

# ruff: noqa: S108 -- its own directory of collected static files, as bench/run.py's

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import ENV  # the bench's settings and database, as its other scenarios use

os.environ.update(
    {
        **{name: ENV[name] for name in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")},
        "SECURE_SSL_REDIRECT": ENV["SECURE_SSL_REDIRECT"],
        # Its own Redis database and static files, and no page cache: every request renders.
        "REDIS_URL": os.environ.get("BENCH_RENDER_REDIS", "redis://127.0.0.1:6379/6"),
        "PAGE_CACHE_ENABLED": "0",
        "STATIC_ROOT": os.environ.get("BENCH_RENDER_STATIC", "/tmp/cio_render_static"),
    }
)
RENDERS = int(os.environ.get("BENCH_RENDERS", "30"))
WARMUP = int(os.environ.get("BENCH_RENDER_WARMUP", "3"))


def pages() -> dict[str, str]:
    from bench.probe import urls

    found = urls()
    named = {name: found[name] for name in ("home", "challenges", "news", "month archive", "release", "search")}
    named["jobs"] = "/en/jobs/"
    named["home (fr)"] = "/fr/"
    return named


def render_times(client, path: str, cold: bool = False) -> list[float]:
    """CPU ms of each render; `cold`: each after a content change, which makes everything kept in the
    shared cache stale (parts of pages, routes, derived values), as the first render after a publish."""
    from site_core.caching.generation import bump_generation

    for _ in range(WARMUP):
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} does not answer 200")
    times = []
    for _ in range(RENDERS):
        if cold:
            bump_generation()
        started = time.process_time()
        client.get(path)
        times.append((time.process_time() - started) * 1000)
    return times


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)

    client = Client()
    named = pages()
    if argv[:1] == ["--profile"]:
        path = named[argv[1]]
        render_times(client, path)
        profiler = cProfile.Profile(time.process_time)  # CPU, as the table: not the database's wait
        profiler.enable()
        for _ in range(RENDERS):
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        return
    print(f"{'page':<15} {'median ms':>10} {'p90 ms':>8} {'cold median':>12}")
    for name, path in named.items():
        times = sorted(render_times(client, path))
        p90 = times[int(len(times) * 0.9) - 1]
        cold = statistics.median(render_times(client, path, cold=True))
        print(f"{name:<15} {statistics.median(times):>10.1f} {p90:>8.1f} {cold:>12.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
