"""The shipped nginx configuration (deploy/nginx/) on this machine, as the current user, in a folder
of its own: for the production-shaped stack (devtools/stack.py), `make bench` and the config tests.

`production_config()` turns deploy/nginx/cio-site.conf into a runnable copy by replacing, one by
one, the few lines that name this deployment's machine (ports, certificate, paths, app servers);
every replacement must find its line, so the copy cannot silently drift from the shipped file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy" / "nginx"
MODULES = Path("/usr/lib/nginx/modules")
# Debian's libnginx-mod-http-cache-purge: PURGE deletes a stored copy (deploy/nginx/cio-purge.conf).
PURGE_MODULE = MODULES / "ngx_http_cache_purge_module.so"
INSTALL_HINT = "apt-get install nginx libnginx-mod-http-cache-purge"


def binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None


def missing() -> str | None:
    """Why the shipped configuration cannot run here, or None."""
    if binary() is None:
        return f"nginx is not installed ({INSTALL_HINT})"
    if not PURGE_MODULE.exists():
        return f"nginx's cache purge module is not installed ({INSTALL_HINT})"
    return None


def load_modules() -> str:
    """The `load_module` line a main configuration of our own needs (Debian's nginx.conf loads the
    installed modules itself through modules-enabled/)."""
    return f"load_module {PURGE_MODULE};"


@dataclass
class Ports:
    https: int
    http: int
    purge: int


def production_config(
    prefix: Path,
    *,
    app: str,
    ports: Ports,
    server_name: str,
    certificate: Path,
    key: Path,
    static_root: Path,
    media_root: Path,
) -> Path:
    """Write prefix/nginx.conf: a main configuration around deploy/nginx/cio-site.conf, adapted."""
    for sub in ("cio", "cache", "temp/client", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    for name in ("cio-http.conf", "cio-proxy.conf", "cio-purge.conf"):
        shutil.copy(DEPLOY / name, prefix / "cio" / name)
    site = (DEPLOY / "cio-site.conf").read_text()
    replacements = {
        "/etc/nginx/cio/": f"{prefix}/cio/",
        "/var/cache/nginx/cio": str(prefix / "cache"),
        "    server 10.0.0.11:8000;\n    server 10.0.0.12:8000;\n": f"    server {app};\n",
        "    listen 80;\n    listen [::]:80;\n": f"    listen 127.0.0.1:{ports.http};\n",
        "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n": (
            f"    listen 127.0.0.1:{ports.https} ssl http2;\n"
        ),
        "    listen 127.0.0.1:6081;\n": f"    listen 127.0.0.1:{ports.purge};\n",
        "server_name civic-innovation.example.org;": f"server_name {server_name};",
        "/etc/ssl/certs/civic-innovation.pem": str(certificate),
        "/etc/ssl/private/civic-innovation.key": str(key),
        "/srv/cio/staticfiles/": f"{static_root}/",
        "/srv/cio/media/": f"{media_root}/",
    }
    for old, new in replacements.items():
        if old not in site:
            raise ValueError(f"deploy/nginx/cio-site.conf no longer contains {old!r}: update devtools/nginx.py")
        site = site.replace(old, new)
    (prefix / "site.conf").write_text(site)
    conf = prefix / "nginx.conf"
    # Started by root (CI), nginx would hand its workers to an unprivileged user who cannot read the
    # scratch folder: they stay the user who started it.
    user = "user root root;" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""{load_modules()}
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {prefix}/temp/client;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    access_log {prefix}/access.log;
    include {prefix}/site.conf;
}}
"""
    )
    return conf


def command(prefix: Path, conf: Path) -> list[str]:
    return [binary() or "nginx", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]


def check(prefix: Path, conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*command(prefix, conf), "-t"], capture_output=True, text=True)


def self_signed_certificate(folder: Path, host: str = "localhost") -> tuple[Path, Path]:
    """A certificate for `host` (and 127.0.0.1) and its key, made with openssl."""
    certificate, key = folder / "cert.pem", folder / "key.pem"
    if not certificate.exists():
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
                *("-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host},IP:127.0.0.1"),
                *("-keyout", str(key), "-out", str(certificate)),
            ],
            check=True,
            capture_output=True,
        )
    return certificate, key
