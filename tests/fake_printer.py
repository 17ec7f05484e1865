"""A label printer's raw port (9100) on 127.0.0.1, for tests that print ZPL."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class FakePrinter:
    """Accepts one connection and keeps every byte sent until the sender closes."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._received = bytearray()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self._server.accept()
        except OSError:  # closed before anyone printed
            return
        with conn:
            while chunk := conn.recv(65536):
                self._received.extend(chunk)

    def received(self, timeout: float = 30) -> bytes:
        """What was printed, once the sender has closed its connection."""
        self._thread.join(timeout=timeout)
        assert not self._thread.is_alive(), "the printer connection was never closed"
        return bytes(self._received)

    def close(self) -> None:
        self._server.close()


@contextmanager
def fake_printer() -> Iterator[FakePrinter]:
    """A printer listening on a free local port for the duration of the block."""
    printer = FakePrinter()
    try:
        yield printer
    finally:
        printer.close()
