"""`make bench`'s fixed parts: the nginx configurations of deploy/nginx/ pass `nginx -t`, the
bench script reads wrk's output and prints its table correctly, and the export measurement
(bench/exports.py) judges its figures against its budget. No load, no server started."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.exports import BUDGET_MEGABYTES, BUDGET_SECONDS, ExportFigures, format_figures, over_budget
from bench.report import (
    Row,
    WrkOutputError,
    WrkResult,
    format_table,
    median_result,
    page_assets,
    parse_wrk,
    render_template,
    third_party,
)
from devtools import nginx as devtools_nginx

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy" / "nginx"
NGINX = devtools_nginx.binary()
needs_nginx = pytest.mark.skipif(devtools_nginx.missing() is not None, reason=str(devtools_nginx.missing()))

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8101/en/news/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.00us  301.12us   9.87ms   91.02%
    Req/Sec     9.81k   612.33    11.02k    72.50%
  Latency Distribution
     50%  750.00us
     75%    0.90ms
     90%    1.10ms
     99%    2.31ms
  195321 requests in 10.00s, 3.01GB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:  19530.12
Transfer/sec:    308.22MB
"""


def test_wrk_output_is_read_in_milliseconds():
    result = parse_wrk(WRK_OUTPUT)
    assert result == WrkResult(requests_per_second=19530.12, p50_ms=0.75, p99_ms=2.31, requests=195321, errors=6)


def test_wrk_durations_in_seconds_and_no_errors():
    output = WRK_OUTPUT.replace("750.00us", "1.20s").replace("2.31ms", "2.00s")
    output = "\n".join(line for line in output.splitlines() if "Non-2xx" not in line and "Socket" not in line)
    result = parse_wrk(output)
    assert (result.p50_ms, result.p99_ms, result.errors) == (1200.0, 2000.0, 0)


def test_wrk_output_without_latency_distribution_is_refused():
    without = re.sub(r"  Latency Distribution\n(.*\n){4}", "", WRK_OUTPUT)
    with pytest.raises(WrkOutputError):
        parse_wrk(without)


def test_median_takes_each_figure_separately():
    runs = [WrkResult(100, 1.0, 9.0, 10, 0), WrkResult(300, 3.0, 5.0, 30, 1), WrkResult(200, 2.0, 7.0, 20, 0)]
    assert median_result(runs) == WrkResult(200, 2.0, 7.0, 60, 1)
    with pytest.raises(ValueError):
        median_result([])


def test_table_has_one_line_per_page_and_mode_with_the_ratio_to_nginx():
    rows = [
        Row("home (static file)", "nginx static", WrkResult(40000, 0.3, 1.0, 1, 0)),
        Row("news", "proxy", WrkResult(20000, 0.5, 2.5, 1, 0)),
        Row("news", "app, uncached", WrkResult(150, 90.0, 180.0, 1, 2)),
    ]
    lines = format_table(rows, reference_rps=40000).splitlines()
    assert lines[0].split() == ["page", "mode", "req/s", "p50", "ms", "p99", "ms", "vs", "nginx", "errors"]
    assert lines[3].split() == ["news", "proxy", "20,000", "0.5", "2.5", "0.50", "0"]
    assert lines[4].split() == ["news", "app,", "uncached", "150", "90.0", "180.0", "0.00", "2"]
    markdown = format_table(rows, reference_rps=40000, markdown=True).splitlines()
    assert markdown[0] == "| page | mode | req/s | p50 ms | p99 ms | vs nginx | errors |"
    assert markdown[3] == "| news | proxy | 20,000 | 0.5 | 2.5 | 0.50 | 0 |"
    assert len(markdown) == 2 + len(rows)


def test_page_assets_and_third_party_ones():
    html = """<link rel="stylesheet" href="/static/css/main.1.css">
    <link href="/static/css/print.2.css" rel="stylesheet" media="print"><link rel="icon" href="/favicon.ico">
    <script src="/static/js/menu.3.js" defer></script><script src="https://cdn.example.com/x.js"></script>
    <script src="/static/js/menu.3.js" defer></script>"""
    assets = page_assets(html)
    assert assets == [
        "/static/css/main.1.css",
        "/static/css/print.2.css",
        "/static/js/menu.3.js",
        "https://cdn.example.com/x.js",
    ]
    assert third_party([*assets, "//fonts.example.com/a.css"]) == [
        "https://cdn.example.com/x.js",
        "//fonts.example.com/a.css",
    ]


def test_template_needs_every_placeholder_and_keeps_nginx_variables(tmp_path):
    template = tmp_path / "t.conf.in"
    template.write_text("listen ${port}; set $cio_backend ${port}; proxy_cache_bypass $cio_session;")
    assert (
        render_template(template, port=8101) == "listen 8101; set $cio_backend 8101; proxy_cache_bypass $cio_session;"
    )
    with pytest.raises(KeyError, match="port"):
        render_template(template)


def export_figures(**changes) -> ExportFigures:
    figures = {
        "export_format": "csv",
        "viewer": "publisher",
        "rows": 5000,
        "bytes": 793588,
        "seconds": 1.4,
        "seconds_max": 1.5,
        "cpu_seconds": 1.1,
        "sql_seconds": 0.3,
        "queries": 23,
        "rss_peak_mb": 88.0,
        "rss_process_mb": 238.0,
        "tracemalloc_peak_mb": 66.4,
        "runs": 3,
        "load_average": 0.4,
    }
    return ExportFigures(**{**figures, **changes})


def test_the_export_budget_holds_the_slowest_run_and_the_largest_peak():
    assert (BUDGET_SECONDS, BUDGET_MEGABYTES) == (10.0, 200.0)
    assert over_budget(export_figures()) == []
    assert over_budget(export_figures(seconds=4.0, seconds_max=10.2)) == ["10.20 s >= 10 s"]
    assert over_budget(export_figures(rss_peak_mb=250.0)) == ["250 MB >= 200 MB"]
    # The process's own size (Django and Wagtail loaded) is reported, not charged to the export.
    assert over_budget(export_figures(rss_process_mb=400.0)) == []
    lines = format_figures([export_figures(), export_figures(export_format="xlsx", rss_peak_mb=201.0)]).splitlines()
    assert lines[1].split()[:6] == ["csv", "publisher", "5,000", "793,588", "1.40", "1.50"]
    assert lines[1].endswith("within budget") and lines[2].endswith("201 MB >= 200 MB")


def render_bench_conf(prefix: Path) -> Path:
    for sub in ("tmp", "cache", "html", "static"):
        (prefix / sub).mkdir(parents=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        render_template(
            DEPLOY / "bench.conf.in",
            prefix=prefix,
            workers=1,
            load_modules=devtools_nginx.load_modules(),
            mime_types="/etc/nginx/mime.types",
            deploy=DEPLOY,
            app="127.0.0.1:8190",
            proxy_listen="127.0.0.1:8191",
            static_listen="127.0.0.1:8192",
            static_root=prefix / "static",
            static_ref=prefix / "html",
        )
    )
    return conf


def nginx_test(prefix: Path, conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
    )


@needs_nginx
def test_bench_nginx_config_passes_nginx_t(tmp_path):
    conf = render_bench_conf(tmp_path)
    check = nginx_test(tmp_path, conf)
    assert check.returncode == 0, check.stderr
    assert "syntax is ok" in check.stderr


@needs_nginx
def test_a_broken_config_fails_nginx_t(tmp_path):
    """The check above can fail: a directive nginx does not know is refused."""
    conf = render_bench_conf(tmp_path)
    conf.write_text(conf.read_text().replace("sendfile on;", "sendfile on; proxy_cache_everything on;"))
    assert nginx_test(tmp_path, conf).returncode != 0


@needs_nginx
def test_production_config_passes_nginx_t(tmp_path):
    """deploy/nginx/cio-site.conf, with its machine-specific lines (certificates, /etc/nginx/cio/, the
    cache, the app servers, ports) pointed at this machine, as the test stack runs it."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    certificate, key = devtools_nginx.self_signed_certificate(tmp_path)
    conf = devtools_nginx.production_config(
        tmp_path,
        app="127.0.0.1:8190",
        ports=devtools_nginx.Ports(https=8193, http=8194, purge=8195),
        server_name="localhost",
        certificate=certificate,
        key=key,
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
    )
    check = devtools_nginx.check(tmp_path, conf)
    assert check.returncode == 0, check.stderr


def test_the_production_config_adaptation_notices_a_changed_file(tmp_path, monkeypatch):
    """Every line the stack replaces must exist: a renamed one fails loudly instead of running a
    configuration that differs from the shipped one."""
    changed = tmp_path / "deploy"
    changed.mkdir()
    for conf in DEPLOY.glob("*.conf"):
        (changed / conf.name).write_text(conf.read_text().replace("listen 127.0.0.1:6081;", "listen 6081;"))
    monkeypatch.setattr(devtools_nginx, "DEPLOY", changed)
    with pytest.raises(ValueError, match="6081"):
        devtools_nginx.production_config(
            tmp_path / "prefix",
            app="127.0.0.1:1",
            ports=devtools_nginx.Ports(https=1, http=2, purge=3),
            server_name="localhost",
            certificate=tmp_path / "c",
            key=tmp_path / "k",
            static_root=tmp_path,
            media_root=tmp_path,
        )


def test_the_proxy_skips_its_cache_for_the_paths_the_page_cache_skips():
    """The nginx map and the app's SKIPPED_PATHS name the same paths (plus application forms)."""
    from site_core.caching.page_cache import SKIPPED_PATHS

    block = re.search(r"map \$uri \$cio_never_cached \{(.*?)\}", (DEPLOY / "cio-http.conf").read_text(), re.S)
    patterns = [re.compile(pattern) for pattern in re.findall(r'"~([^"]+)" 1;', block.group(1))]

    def proxy_skips(path: str) -> bool:
        return any(pattern.search(path) for pattern in patterns)

    skipped = ["/admin/", "/admin/pages/3/", "/django-admin/", "/documents/1/plan.pdf", "/api/v2/pages/"]
    skipped += ["/healthz", "/preview/abc/", "/en/search/", "/fr/search/", "/search/", "/pt-br/search/"]
    cached = ["/en/", "/fr/", "/en/news/", "/en/news/search-and-rescue/", "/en/challenges/buses/", "/static/x.css"]
    for path in skipped:
        assert SKIPPED_PATHS.match(path), path
        assert proxy_skips(path), path
    for path in cached:
        assert not SKIPPED_PATHS.match(path), path
        assert not proxy_skips(path), path
    assert proxy_skips("/en/challenges/buses/apply/")  # a form: private, never stored
