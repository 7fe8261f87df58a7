"""The pure parts of `make bench`: reading wrk's output, taking medians, rendering the nginx
configuration and printing the table. No process, network or database here (unit-tested in
tests/test_bench_config.py)."""

import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from string import Template

# wrk prints durations with these units (see wrk's units.c).
_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency percentiles in milliseconds, and failed answers."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers plus socket errors


class WrkOutputError(ValueError):
    """wrk's output lacks a figure the table needs (wrong version, or run without --latency)."""


def duration_ms(value: str, unit: str) -> float:
    return float(value) * _TIME_UNITS_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Read `wrk --latency` output."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(rf"^\s+50(?:\.0+)?%\s+{_DURATION}", output, re.MULTILINE)
    p99 = re.search(rf"^\s+99(?:\.0+)?%\s+{_DURATION}", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in ", output, re.MULTILINE)
    if not (rps and p50 and p99 and total):
        raise WrkOutputError(f"unexpected wrk output (run it with --latency):\n{output}")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return WrkResult(
        requests_per_second=float(rps.group(1)),
        p50_ms=duration_ms(*p50.groups()),
        p99_ms=duration_ms(*p99.groups()),
        requests=int(total.group(1)),
        errors=errors,
    )


def median_result(runs: list[WrkResult]) -> WrkResult:
    """Each figure's median over the runs (the runs' medians need not come from the same run)."""
    if not runs:
        raise ValueError("no runs")
    return WrkResult(
        requests_per_second=statistics.median(r.requests_per_second for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        requests=sum(r.requests for r in runs),
        errors=sum(r.errors for r in runs),
    )


@dataclass(frozen=True)
class Row:
    page: str
    mode: str
    result: WrkResult


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}" if reference else "-"


def format_table(rows: list[Row], reference_rps: float, markdown: bool = False) -> str:
    """One line per page and mode: req/s, p50, p99, the ratio of req/s to nginx's static file."""
    header = ["page", "mode", "req/s", "p50 ms", "p99 ms", "vs nginx", "errors"]
    lines = [
        [
            row.page,
            row.mode,
            f"{row.result.requests_per_second:,.0f}",
            f"{row.result.p50_ms:.1f}",
            f"{row.result.p99_ms:.1f}",
            ratio(row.result.requests_per_second, reference_rps),
            str(row.result.errors),
        ]
        for row in rows
    ]
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * 5) + "|"]
        out += ["| " + " | ".join(cells) + " |" for cells in lines]
        return "\n".join(out)
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]

    def fmt(cells):
        left = [c.ljust(w) for c, w in zip(cells[:2], widths[:2], strict=True)]
        right = [c.rjust(w) for c, w in zip(cells[2:], widths[2:], strict=True)]
        return "  ".join(left + right)

    return "\n".join([fmt(header), "  ".join("-" * w for w in widths), *(fmt(cells) for cells in lines)])


def render_template(template_path: Path, **values) -> str:
    """Fill a ${name} template; every placeholder must be given (nginx's own $variables are kept)."""
    text = Template(template_path.read_text())
    names = {m.group("braced") for m in text.pattern.finditer(text.template) if m.group("braced")}
    missing = names - values.keys()
    if missing:
        raise KeyError(f"{template_path.name} needs {', '.join(sorted(missing))}")
    return text.safe_substitute({k: str(v) for k, v in values.items()})


_ASSET = re.compile(
    r"""<link\b[^>]*\brel=["']?stylesheet["']?[^>]*\bhref=["']([^"']+)["']"""
    r"""|<link\b[^>]*\bhref=["']([^"']+)["'][^>]*\brel=["']?stylesheet"""
    r"""|<script\b[^>]*\bsrc=["']([^"']+)["']""",
    re.IGNORECASE,
)


def page_assets(html: str) -> list[str]:
    """The stylesheets and scripts a page loads, in order, without repeats."""
    found = []
    for match in _ASSET.finditer(html):
        url = next(g for g in match.groups() if g)
        if url not in found:
            found.append(url)
    return found


def third_party(urls: list[str]) -> list[str]:
    """The URLs served from another host (absolute or protocol-relative)."""
    return [url for url in urls if re.match(r"^(https?:)?//", url, re.IGNORECASE)]
