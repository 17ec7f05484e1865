"""Sending ZPL to a network label printer's raw port."""

from __future__ import annotations

import socket

__all__ = ["PrinterError", "send_to_printer"]


class PrinterError(OSError):
    """A label could not be delivered to a network printer."""


def send_to_printer(zpl: str, host: str, port: int = 9100, timeout: float = 5.0) -> None:
    """Send ZPL to a network label printer over raw TCP (port 9100, "JetDirect").

    Args:
        zpl: The ZPL program (sent as UTF-8).
        host: Printer host name or IP address.
        port: TCP port.
        timeout: Seconds to wait for the connection and for each send.

    Raises:
        PrinterError: The printer could not be reached or the data not sent.
    """
    data = zpl.encode("utf-8")
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(data)
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the data was sent; some printers close first
    except TimeoutError:
        raise PrinterError(
            f"The printer at {host}:{port} did not answer within {timeout:g} seconds."
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise PrinterError(
            f"The label could not be sent to the printer at {host}:{port}: {reason}."
        ) from exc
