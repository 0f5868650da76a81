"""Run the service in a background thread on a free loopback port: browser tests and README screenshots."""

from __future__ import annotations

import socket
import threading
import time
from typing import Self

import uvicorn

from service.app import create_app
from service.config import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BackgroundServer:
    """``with BackgroundServer(settings) as server: ... server.url ...``: a real uvicorn server, stopped on exit."""

    def __init__(self, settings: Settings, *, ready_timeout: float = 120.0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, name="caseqa-test-server", daemon=True)
        self.ready_timeout = ready_timeout

    def __enter__(self) -> Self:
        self._thread.start()
        deadline = time.monotonic() + self.ready_timeout
        # Started, and the pipeline loaded: tests then measure the pages, not the model loading.
        while not (self._server.started and self.app.state.analyses.ready):
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the service did not start on {self.url}: {self.app.state.analyses.load_error or 'timeout'}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(15)
