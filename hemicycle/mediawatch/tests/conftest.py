"""A local web site (http.server in a thread) serving feeds and pages to the pollers."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hemicycle.accounts.tests.test_mail_smtp import inbox  # noqa: F401 (the SMTP fixture)
from hemicycle.mediawatch.fetching import Item
from hemicycle.mediawatch.models import Clipping, Source
from hemicycle.mediawatch.services import WorkspaceIndex, items_ingest


class Site:
    """Pages by path: body, content type, ETag / Last-Modified honoured, status override;
    every request is logged with its conditional headers."""

    def __init__(self) -> None:
        self.pages: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def serve(self, path: str, body: str, content_type: str = "application/rss+xml",
              etag: str = "", last_modified: str = "", status: int = 200,
              headers: dict | None = None) -> str:
        self.pages[path] = {"body": body.encode(), "type": content_type, "etag": etag,
                            "last_modified": last_modified, "status": status,
                            "headers": headers or {}}
        return self.url + path

    def hits(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                site.requests.append({"path": path, "if_none_match": self.headers.get(
                    "If-None-Match"), "if_modified_since": self.headers.get(
                    "If-Modified-Since")})
                page = site.pages.get(path)
                if page is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                if page["etag"] and self.headers.get("If-None-Match") == page["etag"] or (
                        page["last_modified"]
                        and self.headers.get("If-Modified-Since") == page["last_modified"]):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(page["status"])
                self.send_header("Content-Type", page["type"])
                self.send_header("Content-Length", str(len(page["body"])))
                if page["etag"]:
                    self.send_header("ETag", page["etag"])
                if page["last_modified"]:
                    self.send_header("Last-Modified", page["last_modified"])
                for name, value in page["headers"].items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page["body"])

            def log_message(self, *args) -> None:
                pass

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    server = Site()
    yield server
    server.close()


def rss(items: list[dict], title: str = "La Gazette du Nord") -> str:
    """An RSS 2.0 feed of items {link, title, description, pubDate?}."""
    entries = "".join(
        f"<item><title>{i['title']}</title><link>{i['link']}</link>"
        f"<description>{i.get('description', '')}</description>"
        f"<pubDate>{i.get('pubDate', 'Mon, 23 Nov 2026 07:00:00 +0100')}</pubDate></item>"
        for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>http://example.org/</link>"
            f"<description>Actualités</description>{entries}</channel></rss>")


def atom(items: list[dict], title: str = "Le Journal de Roubaix") -> str:
    entries = "".join(
        f"<entry><title>{i['title']}</title><link href=\"{i['link']}\"/>"
        f"<id>{i['link']}</id><updated>2026-11-23T06:00:00Z</updated>"
        f"<summary>{i.get('description', '')}</summary></entry>" for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:x</id><updated>2026-11-23T06:00:00Z</updated>"
            f"{entries}</feed>")


@pytest.fixture
def make_source(workspace):
    def make(url: str, name: str = "La Gazette du Nord", **fields) -> Source:
        return Source.objects.create(workspace=workspace, name=name, url=url, **fields)
    return make


COLLEGES = Item(
    url="https://courrier.example/colleges", title="Le Département réduit l'aide aux collèges",
    summary="Réuni à Lille, le conseil départemental du Nord a voté un budget en baisse pour "
            "les collèges ; les écologistes dénoncent un recul de la rénovation thermique.")
BUS = Item(
    url="https://echo.example/bus", title="Une ligne de bus prolongée jusqu'à Bailleul",
    summary="La Métropole européenne de Lille prolonge sa ligne de bus jusqu'à Bailleul à "
            "la rentrée, au grand soulagement des usagers d'Armentières.")


@pytest.fixture
def clippings(workspace):
    """Two clippings filed through the real code, by url."""
    source = Source.objects.create(workspace=workspace, name="Le Courrier (test)",
                                   url="https://courrier.example/rss")
    items_ingest(source=source, items=[COLLEGES, BUS], index=WorkspaceIndex(workspace))
    return {c.url: c for c in Clipping.objects.filter(workspace=workspace)}




@pytest.fixture
def mediawatch_demo_only(monkeypatch):
    """demo_build with the media watch's step alone (plus the core and the élu·e·s):
    these tests do not depend on the other modules' demo data."""
    from hemicycle.core import demo

    monkeypatch.setattr(demo, "DEMO_STEPS",
                        [step for step in demo.DEMO_STEPS if step[1] == "mediawatch"])
