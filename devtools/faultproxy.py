"""A fault-injecting TCP proxy, for the production-shaped test stack (devtools/stack.py).

One `FaultProxy` listens on a loopback port and forwards to a real service (PostgreSQL, Redis, an
SMTP server). Its mode says how the service behaves, as seen by the app:

- ``pass``: a healthy service (everything forwarded at once);
- ``refuse``: a service that is down: new connections are refused (the port is closed) and the
  open ones are reset;
- ``delay``: a slow service: every chunk of data, either way, is held `delay` seconds;
- ``blackhole``: a service that accepts connections and never answers (a hung server, a dropped
  route): data sent is read and discarded, nothing comes back, open connections go silent too.

toxiproxy does the same job but does not install from the registries this project uses, hence
this small asyncio version. It runs its event loop in a daemon thread, so a test (or the stack's
command) controls it with plain method calls: ``proxy.set("blackhole")``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading

MODES = ("pass", "refuse", "delay", "blackhole")
CHUNK = 64 * 1024


class FaultProxy:
    def __init__(self, name: str, target_host: str, target_port: int, listen_port: int = 0):
        self.name = name
        self.target = (target_host, target_port)
        self.mode = "pass"
        self.delay = 0.0
        self.port = listen_port or free_port()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._links: set[_Link] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"faultproxy-{name}", daemon=True)
        self.connections = 0  # accepted since start, for tests that check a client reconnected

    # --- control (from any thread) ------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def stop(self) -> None:
        self._call(self._close(reset=True))
        self._call(self._cancel_tasks())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    async def _cancel_tasks(self):
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def set(self, mode: str, delay: float = 0.0) -> None:
        """Switch the service's behaviour; takes effect at once, for open connections too."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
        self._call(self._switch(mode, float(delay)))

    def describe(self) -> str:
        return f"{self.name}: 127.0.0.1:{self.port} -> {self.target[0]}:{self.target[1]} [{self.mode}]"

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    # --- inside the loop ----------------------------------------------------------------------

    async def _listen(self):
        if self._server is None:
            self._server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True, limit=CHUNK
            )

    async def _close(self, reset: bool):
        if self._server is not None:
            self._server.close()
            self._server = None
        if reset:
            for link in list(self._links):
                link.reset()

    async def _switch(self, mode: str, delay: float):
        previous, self.mode, self.delay = self.mode, mode, delay
        if mode == "refuse":
            await self._close(reset=True)
        elif previous == "refuse":
            await self._listen()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.connections += 1
        link = _Link(self, writer)
        self._links.add(link)
        try:
            if self.mode == "blackhole":
                await link.swallow(reader)
                return
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(*self.target, limit=CHUNK)
            except OSError:
                link.reset()
                return
            link.upstream = upstream_writer
            await asyncio.gather(
                link.pump(reader, upstream_writer),
                link.pump(upstream_reader, writer),
                return_exceptions=True,
            )
        finally:
            link.close()
            self._links.discard(link)


class _Link:
    """One client connection and, once made, its connection to the service."""

    def __init__(self, proxy: FaultProxy, client: asyncio.StreamWriter):
        self.proxy = proxy
        self.client = client
        self.upstream: asyncio.StreamWriter | None = None

    async def swallow(self, reader: asyncio.StreamReader):
        while await reader.read(CHUNK):
            pass

    async def pump(self, source: asyncio.StreamReader, destination: asyncio.StreamWriter):
        while True:
            data = await source.read(CHUNK)
            if not data:
                break
            mode = self.proxy.mode
            if mode == "blackhole":
                continue  # read and dropped: the other side hears nothing, ever
            if mode == "delay" and self.proxy.delay:
                await asyncio.sleep(self.proxy.delay)
                if self.proxy.mode == "blackhole":
                    continue
            destination.write(data)
            await destination.drain()
        with contextlib.suppress(OSError):
            if destination.can_write_eof():
                destination.write_eof()

    def reset(self):
        """Close both sides with a TCP reset, as a crashed or restarted server does."""
        for writer in (self.client, self.upstream):
            if writer is None:
                continue
            sock = writer.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            writer.transport.abort()

    def close(self):
        for writer in (self.client, self.upstream):
            if writer is not None:
                writer.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
