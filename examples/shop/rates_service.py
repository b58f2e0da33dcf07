"""A tiny exchange-rates service, standing in for the real one during recording.

``pytest --wf-record`` runs the pricing workflow for real, so its HTTP node needs a live service;
``conftest.py`` starts this one on 127.0.0.1:8765 while recording. Replays are served from the
recorded golden files and never start it (nor touch the network).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST, PORT = "127.0.0.1", 8765
RATES = {"base": "USD", "eur": 0.92, "gbp": 0.79}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != "/rates":
            self.send_error(404)
            return
        body = json.dumps(RATES).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


def start() -> ThreadingHTTPServer:
    """Serve the rates on 127.0.0.1:8765 in a daemon thread; call ``shutdown()`` to stop."""
    server = ThreadingHTTPServer((HOST, PORT), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    print(f"serving rates on http://{HOST}:{PORT}/rates")
    ThreadingHTTPServer((HOST, PORT), _Handler).serve_forever()
