"""A small HTTP server on loopback, in a thread, that plays a remote API in tests.

Routes map (method, path) to a handler returning (status, headers, body); a route may
hold a list of answers, served in turn (the last one repeats), to play "429 then 200".
Every request is recorded for the test to check what was sent.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)

    def form(self) -> dict:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class FakeService:
    routes: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    url: str = ""

    def on(self, method: str, path: str, *answers) -> None:
        """Answers: (status, body) or (status, body, headers), or a callable(request)."""
        self.routes[(method, path)] = list(answers)

    def calls(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def answer(self, request: Request):
        answers = self.routes.get((request.method, request.path))
        if not answers:
            return 404, {"error": "Not found"}, {}
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if callable(answer):
            answer = answer(request)
        status, body, *rest = answer
        return status, body, rest[0] if rest else {}


def _handler(service: FakeService):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(self.command, parts.path,
                              {k: v[0] for k, v in parse_qs(parts.query).items()},
                              {k.lower(): v for k, v in self.headers.items()},
                              self.rfile.read(length))
            service.requests.append(request)
            status, body, headers = service.answer(request)
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, *args):
            pass

    return Handler


class running:
    """``with running(service):`` serves it on 127.0.0.1 on a free port."""

    def __init__(self, service: FakeService):
        self.service = service

    def __enter__(self) -> FakeService:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.service))
        self.service.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self.service

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
