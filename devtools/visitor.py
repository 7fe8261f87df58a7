"""An HTTPS visitor of the production-shaped stack (devtools/stack.py): TLS to nginx, its own
cookies and its own source address."""

from __future__ import annotations

import http.cookies
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import urllib3

if TYPE_CHECKING:
    from devtools.stack import Stack

HOST = "localhost"


@dataclass
class Response:
    status: int
    headers: urllib3.HTTPHeaderDict
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Visitor:
    """A browser's worth of HTTP: TLS to nginx (checking the stack's certificate), its own cookie
    jar, and the source address it connects from (nginx's $remote_addr)."""

    def __init__(self, stack: Stack, source: str = "127.0.0.1", timeout: float = 30.0):
        self.stack = stack
        self.cookies: dict[str, str] = {}
        self.pool = urllib3.HTTPSConnectionPool(
            "127.0.0.1",
            stack.ports.https,
            cert_reqs="CERT_REQUIRED",
            ca_certs=str(stack.certificate),
            server_hostname=HOST,
            assert_hostname=HOST,
            source_address=(source, 0),
            timeout=urllib3.Timeout(connect=5, read=timeout),
            retries=False,
            maxsize=4,
        )

    def request(self, method: str, path: str, *, fields=None, files=None, headers=None, cookies=True) -> Response:
        sent = {"Host": f"{HOST}:{self.stack.ports.https}", "Accept-Language": "en", **(headers or {})}
        if cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if method == "POST":
            sent.setdefault("Referer", self.stack.url(path))
            if files:
                body, content_type = urllib3.encode_multipart_formdata({**(fields or {}), **files})
            else:
                body, content_type = urlencode(fields or {}, doseq=True), "application/x-www-form-urlencoded"
            sent["Content-Type"] = content_type
        started = time.monotonic()
        answer = self.pool.urlopen(method, path, body=body, headers=sent, redirect=False, preload_content=True)
        seconds = time.monotonic() - started
        for header in answer.headers.getlist("Set-Cookie"):
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Response(answer.status, answer.headers, answer.data, seconds)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields: dict, files: dict | None = None, **kwargs) -> Response:
        return self.request("POST", path, fields=fields, files=files, **kwargs)
