"""Serve an ASGI app factory with uvicorn and two workers on a listening socket made as an
IPPROTO_TCP socket, so asyncio sets TCP_NODELAY on every connection it accepts.

``uvicorn.run(..., workers=2)`` (and so ``takt serve --workers 2``) binds
``socket.socket(AF_INET)``, protocol 0, and asyncio on Python 3.11 sets TCP_NODELAY only on
sockets whose protocol is IPPROTO_TCP. Every response is written in two pieces (headers, then
body), so on a kept-alive connection the body waits for the client's delayed ACK: about 40 ms
per request. The reference must show what a bare app can do, not that stall; with
``BENCH_TAKT_SERVE=nodelay`` Takt is served this way too, to see Takt without it.

Usage: ``python serve.py MODULE:FACTORY PORT [LOG_LEVEL]``; the module is imported from this
folder or the installed packages.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn
from uvicorn.supervisors import Multiprocess


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # the workers import refapp
    app, port = sys.argv[1], int(sys.argv[2])
    log_level = sys.argv[3] if len(sys.argv) > 3 else "warning"
    config = uvicorn.Config(app, factory=True, host="127.0.0.1", port=port, workers=2,
                            log_level=log_level, proxy_headers=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


if __name__ == "__main__":
    main()
