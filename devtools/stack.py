"""The site in its production shape, on this machine: what visitors meet, started by the tests
(tests/stack/) and by hand with `make stack`.

    visitor ──HTTPS──> nginx: deploy/nginx/cio-site.conf as shipped (TLS with a self-signed
                       certificate, the caching proxy, /static/, /media/, PURGE)
                         └──> gunicorn: site_core.settings.production, 2 workers of 4 threads
                                ├──> fault proxy ──> PostgreSQL (this machine's server)
                                ├──> fault proxy ──> Redis (this machine's server, its own db)
                                └──> fault proxy ──> SMTP sink (aiosmtpd, in this process)

Each fault proxy (devtools/faultproxy.py) makes its service refuse, delay or blackhole on demand:
`stack.fault("redis", "blackhole")`, `stack.fault("postgresql", "delay", 1.5)`, `stack.heal()`.
`stack.client()` is an HTTPS client of nginx with its own cookies and, optionally, its own source
address (127.0.0.x: nginx sees a different visitor); `stack.manage(...)` runs a management command
with the servers' environment (the scheduler's `send_queued_emails`, say); `stack.sink.messages`
holds what the SMTP server received.

By hand: `make stack` builds the `cio_stack` database (demo content) and serves the site at
https://localhost:8443/ until Ctrl-C; type `redis blackhole`, `postgresql delay 2`, `smtp refuse`,
`heal` or `status` at its prompt.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import urllib3

from devtools import nginx
from devtools.faultproxy import FaultProxy, free_port
from devtools.smtpsink import SmtpSink
from devtools.visitor import HOST, Visitor

ROOT = Path(__file__).resolve().parents[1]
GUNICORN_ARGS = ("--workers", "2", "--worker-class", "gthread", "--threads", "4", "--timeout", "60")
SERVICES = ("postgresql", "redis", "smtp")


# --- The stack -------------------------------------------------------------------------------


@dataclass
class Database:
    name: str
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""


class Stack:
    def __init__(self, workdir: Path, database: Database, redis_db: int = 9, env: dict | None = None):
        self.workdir = Path(workdir)
        self.database = database
        self.redis_db = redis_db
        self.extra_env = env or {}
        self.ports = nginx.Ports(https=free_port(), http=free_port(), purge=free_port())
        self.app_port = free_port()
        self.sink = SmtpSink()
        self.proxies: dict[str, FaultProxy] = {}
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = self.workdir / "logs"

    # -- addresses

    def url(self, path: str = "/") -> str:
        return f"https://{HOST}:{self.ports.https}{path}"

    @property
    def base_url(self) -> str:
        return f"https://{HOST}:{self.ports.https}"

    @property
    def env(self) -> dict:
        db = self.database
        password = f":{db.password}" if db.password else ""
        return {
            **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")},
            "DJANGO_SETTINGS_MODULE": "site_core.settings.production",
            "SECRET_KEY": "stack-" + "s3cr3t-" * 8,
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": self.base_url,
            "BASE_URL": self.base_url,
            "DATABASE_URL": f"postgres://{db.user}{password}@127.0.0.1:{self.proxies['postgresql'].port}/{db.name}",
            "REDIS_URL": f"redis://127.0.0.1:{self.proxies['redis'].port}/{self.redis_db}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.proxies["smtp"].port),
            "EMAIL_TIMEOUT": "3",
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.workdir / "private-media"),
            "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{self.ports.purge}",
            # Shorter than production's, so that a test waits less for a healed service to be tried.
            "DEPENDENCY_BREAKER_COOLDOWN_SECONDS": "2",
            "SMTP_BREAKER_COOLDOWN_SECONDS": "5",
            # A test's applicants send their form at once: not to be taken for spam here.
            "APPLICATION_MIN_FILL_SECONDS": "0",
            **self.extra_env,
        }

    # -- life

    def start(self) -> Stack:
        self.start_services()
        self.start_servers()
        return self

    def start_services(self) -> None:
        """The SMTP sink and the fault proxies in front of the three services."""
        self.logs.mkdir(parents=True, exist_ok=True)
        (self.workdir / "media").mkdir(exist_ok=True)
        self.sink.start()
        db = self.database
        self.proxies = {
            "postgresql": FaultProxy("postgresql", db.host, db.port).start(),
            "redis": FaultProxy("redis", "127.0.0.1", 6379).start(),
            "smtp": FaultProxy("smtp", "127.0.0.1", self.sink.port).start(),
        }
        self.certificate, self.key = nginx.self_signed_certificate(self.workdir, HOST)

    def start_servers(self) -> None:
        """gunicorn and nginx, once the database is ready."""
        self.collect_static()
        self.start_gunicorn()
        self.start_nginx()
        self.wait_until_up()

    def stop(self) -> None:
        for name in ("nginx", "gunicorn"):
            process = self.processes.pop(name, None)
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for proxy in self.proxies.values():
            proxy.stop()
        self.sink.stop()

    def collect_static(self) -> None:
        static = self.workdir / "static"
        if not (static / "staticfiles.json").exists():
            self.manage("collectstatic", "--no-input", "-v", "0", check=True)

    def start_gunicorn(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "site_core.wsgi:application", *GUNICORN_ARGS]
        command += ["--bind", f"127.0.0.1:{self.app_port}"]
        self.processes["gunicorn"] = self.spawn("gunicorn", command, cwd=ROOT, env=self.env)

    def start_nginx(self) -> None:
        prefix = self.workdir / "nginx"
        conf = nginx.production_config(
            prefix,
            app=f"127.0.0.1:{self.app_port}",
            ports=self.ports,
            server_name=HOST,
            certificate=self.certificate,
            key=self.key,
            static_root=self.workdir / "static",
            media_root=self.workdir / "media",
        )
        checked = nginx.check(prefix, conf)
        if checked.returncode:
            raise RuntimeError(f"nginx -t failed:\n{checked.stderr}")
        self.processes["nginx"] = self.spawn("nginx", [*nginx.command(prefix, conf), "-g", "daemon off;"])

    def restart_app(self) -> None:
        """New app servers: per-process state (database connections, circuit breakers, Django's
        content type cache, which a test database flush invalidates) starts afresh."""
        process = self.processes.pop("gunicorn")
        process.terminate()
        process.wait(timeout=30)
        self.start_gunicorn()
        self.wait_until_up()

    def clear_proxy_cache(self) -> None:
        """An empty proxy cache (nginx restarted on an emptied cache folder), for a test's fresh start."""
        process = self.processes.pop("nginx")
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(self.workdir / "nginx" / "cache", ignore_errors=True)
        self.start_nginx()
        self.wait_until_up()

    def spawn(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **kwargs)

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        visitor = Visitor(self, timeout=5)
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped:\n{self.log(name)[-3000:]}")
            with contextlib.suppress(urllib3.exceptions.HTTPError, OSError):
                if visitor.get("/healthz").status in (200, 503):
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the stack did not answer within {seconds} s:\n{self.log('gunicorn')[-3000:]}")

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- control

    def client(self, source: str = "127.0.0.1", timeout: float = 30.0) -> Visitor:
        return Visitor(self, source=source, timeout=timeout)

    def fault(self, service: str, mode: str, delay: float = 0.0) -> None:
        self.proxies[service].set(mode, delay)

    def heal(self) -> None:
        for proxy in self.proxies.values():
            proxy.set("pass")

    def manage(self, *args: str, check: bool = False, timeout: float = 120, **env) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
        )

    def flush_redis(self) -> None:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, db=self.redis_db).flushdb()


# --- By hand: make stack ---------------------------------------------------------------------


def prepare_database(name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def main() -> None:
    problem = nginx.missing()
    if problem:
        raise SystemExit(f"make stack: {problem}")
    workdir = Path(os.environ.get("STACK_DIR", "/tmp/cio_stack"))  # noqa: S108 - a scratch folder of its own
    workdir.mkdir(parents=True, exist_ok=True)
    database = Database(name=os.environ.get("STACK_DB", "cio_stack"))
    prepare_database(database.name)
    stack = Stack(workdir, database)
    stack.ports = nginx.Ports(https=int(os.environ.get("STACK_PORT", "8443")), http=free_port(), purge=free_port())
    try:
        stack.start_services()
        for step in (["migrate", "--no-input", "-v", "0"], ["compile_translations"], ["load_demo_content"]):
            print("manage.py", " ".join(step), flush=True)
            # load_demo_content is a development command (devtools), run on the same database.
            dev = {"DJANGO_SETTINGS_MODULE": "site_core.settings.dev"} if step == ["load_demo_content"] else {}
            stack.manage(*step, check=True, timeout=900, **dev)
        print(stack.manage("setup_groups", check=True).stdout.strip())
        # The development command (it refuses production settings), on the same database.
        print(stack.manage("ensure_admin", check=True, DJANGO_SETTINGS_MODULE="site_core.settings.dev").stdout.strip())
        stack.start_servers()
        print(f"\nThe site: {stack.url('/en/')}  (self-signed certificate: {stack.certificate})")
        print(f"Logs: {stack.logs}")
        for proxy in stack.proxies.values():
            print("  " + proxy.describe())
        print("Commands: <postgresql|redis|smtp> <pass|refuse|delay SECONDS|blackhole>, heal, status, mail, quit")
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            if words[0] in ("quit", "exit"):
                break
            if words[0] == "heal":
                stack.heal()
            elif words[0] == "mail":
                for message in stack.sink.messages:
                    print(f"  {message['To']}: {message['Subject']}")
            elif words[0] in SERVICES and len(words) >= 2:
                stack.fault(words[0], words[1], float(words[2]) if len(words) > 2 else 0.0)
            elif words[0] != "status":
                print("?")
            for proxy in stack.proxies.values():
                print("  " + proxy.describe())
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
