"""Media-watch polling: 200 RSS feeds of 50 items served on loopback, 20% cross-posted.

The corpus (seeded, generated here): 8,000 distinct stories, of which about 170 are
dispatches cast in one of three moulds, differing only by the commune, the day, the
amount and the person (hard negatives: they must not be merged), and 2,000 cross-posted
copies placed in other feeds:
- exact: the same address with tracking parameters (utm_*, fbclid, fragment, http/www);
- exact: the same text under another address, the title's punctuation retouched;
- near: a light edit (a word or two changed, a credit added, the title reworded).

Rounds, each timed: 1) every feed new (10,000 items filed); 2) nothing changed (every
feed answers 304 to its ETag); 3) 10% of the feeds gain 5 new items each.
Checks, against the generator's ground truth: every exact copy grouped with its story,
the share of near copies grouped (target ≥ 95%), and false merges (two stories in one
clipping; target 0) over all 10,000 items, not a sample.

Runs on a throw-away SQLite database (or --database-url postgres://…) and prints one
JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FEEDS, ITEMS, DUP_SHARE = int(os.getenv("BENCH_FEEDS", "200")), 50, 0.20

COMMUNES = """Lille Roubaix Tourcoing Villeneuve-d'Ascq Dunkerque Valenciennes Douai Cambrai
Maubeuge Wattrelos Marcq-en-Barœul Armentières Hazebrouck Bailleul Lambersart Croix
Hem Wasquehal Seclin Lomme Loos Haubourdin Comines Halluin Wervicq-Sud Bergues Cassel
Gravelines Grande-Synthe Coudekerque-Branche Denain Anzin Condé-sur-l'Escaut Caudry
Le Cateau-Cambrésis Avesnes-sur-Helpe Fourmies Jeumont Hautmont Orchies Cysoing
Templeuve-en-Pévèle Pont-à-Marcq Mons-en-Barœul Faches-Thumesnil Ronchin Lesquin
Wambrechies Marquette-lez-Lille Saint-André-lez-Lille La Madeleine Mouvaux Bondues
Linselles Neuville-en-Ferrain Roncq Quesnoy-sur-Deûle Estaires Merville Steenvoorde""".split()
PEOPLE = ["Maëlle Dufresne", "Antoine Verhaeghe", "Nora Benaïssa", "Julien Wattebled",
          "Aurélie Morvan", "Mathis Delcourt", "Claire Vandamme", "Karim Boulanger",
          "Sophie Lemaire", "Thomas Deschamps", "Inès Caron", "Hugo Dhainaut"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]


def vocabulary() -> tuple[list[str], list[int]]:
    """French words with their frequencies, from the demo's articles (local news prose):
    sampling by frequency keeps the function words as common as in real text."""
    from collections import Counter

    from hemicycle.mediawatch.demo import ARTICLES

    counts = Counter(word for _s, _p, title, summary, _h in ARTICLES
                     for word in f"{title} {summary}".replace(".", " ").replace(",", " ").split())
    words = sorted(counts)
    return words, [counts[w] for w in words]


# Dispatches written from one mould: the same wording, another commune, day, amount, person.
TEMPLATES = [
    ("{commune} : une subvention pour les vestiaires du club de football",
     "Le conseil municipal de {commune} a voté {day} une subvention de {amount} euros "
     "au club de football de la commune pour la rénovation de ses vestiaires. "
     "{person} salue un soutien bienvenu aux bénévoles qui encadrent chaque semaine "
     "près de deux cents licenciés, dont de nombreux jeunes des quartiers. Les "
     "travaux doivent commencer au printemps et durer environ six mois."),
    ("{commune} : la route départementale fermée pour travaux",
     "La route départementale qui traverse {commune} sera fermée à la circulation à "
     "partir de {day} pour des travaux de réfection de la chaussée, d'un montant de "
     "{amount} euros financés par le Département. Une déviation est mise en place par "
     "les communes voisines. {person}, conseiller départemental du canton, demande que "
     "les commerçants du centre soient indemnisés pendant toute la durée du chantier."),
    ("Conseil municipal de {commune} : ce qu'il faut retenir",
     "Réuni {day} soir, le conseil municipal de {commune} a adopté le budget primitif, "
     "qui prévoit {amount} euros d'investissements pour les écoles et la voirie. "
     "{person} a défendu une hausse des tarifs de la cantine, contestée par l'opposition "
     "qui réclame une tarification sociale. La séance s'est achevée par un vœu pour le "
     "maintien du bureau de poste du centre-ville."),
]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]


def story_text(rng: random.Random, vocab=None) -> tuple[str, str]:
    """(title, text) of a distinct story: 4 to 6 sentences of words drawn by frequency,
    with a commune, a person and amounts, about 75 words."""
    words, weights = vocab or VOCAB
    sentences = []
    for _ in range(rng.randint(4, 6)):
        body = " ".join(rng.choices(words, weights, k=rng.randint(9, 15)))
        sentences.append(f"À {rng.choice(COMMUNES)}, {body} ({rng.randint(2, 900)} 000 euros).")
    sentences.insert(rng.randrange(len(sentences)), f"{rng.choice(PEOPLE)} "
                     f"{' '.join(rng.choices(words, weights, k=6))}.")
    title = f"{rng.choice(COMMUNES)} : " + " ".join(rng.choices(words, weights, k=7))
    return title, " ".join(sentences)


def template_texts(rng: random.Random) -> list[tuple[str, str]]:
    """One dispatch per mould and commune (about 170 hard negatives)."""
    texts = []
    for title, text in TEMPLATES:
        for commune in COMMUNES:
            values = {"commune": commune, "day": rng.choice(DAYS), "person": rng.choice(PEOPLE),
                      "amount": f"{rng.randint(3, 95)} {rng.randint(100, 999)}"}
            texts.append((title.format(**values), text.format(**values)))
    return texts


def light_edit(rng: random.Random, title: str, text: str) -> tuple[str, str]:
    """What a second outlet does to a dispatch: a word or two, a credit, a new title."""
    words = text.split()
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(words))
        words[i] = rng.choice(["notamment", "également", "ainsi", "désormais", "encore"])
    text = " ".join(words) + rng.choice([" (avec AFP)", " Reportage de notre correspondant.",
                                         " Vidéo à voir sur notre site."])
    title = rng.choice(["Vidéo. ", "Info locale. ", "", "Nord. "]) + title.replace(" : ", ", ")
    return title, text


def corpus(seed: int, base: str):
    """feeds[path] = list of items; truth[url] = (story id, kind of copy)."""
    rng = random.Random(seed)
    total = FEEDS * ITEMS
    n_dups = int(total * DUP_SHARE)
    stories = []
    templated = template_texts(rng)
    for sid in range(total - n_dups):
        title, text = templated[sid] if sid < len(templated) else story_text(rng)
        stories.append({"id": sid, "title": title, "text": text,
                         "url": f"{base}/site{sid % FEEDS}/article/{sid}-{rng.getrandbits(24):x}"})
    slots = [(f, i) for f in range(FEEDS) for i in range(ITEMS)]
    rng.shuffle(slots)
    feeds: dict[int, list[dict]] = {f: [] for f in range(FEEDS)}
    truth: dict[str, tuple[int, str]] = {}
    for story, (f, _i) in zip(stories, slots, strict=False):
        feeds[f].append({**story, "kind": "original"})
        truth[story["url"]] = (story["id"], "original")
    kinds = ["url"] * (n_dups // 4) + ["content"] * (n_dups // 4)
    kinds += ["near"] * (n_dups - len(kinds))
    for n, (kind, (f, _i)) in enumerate(zip(kinds, slots[len(stories):], strict=True)):
        story = stories[rng.randrange(len(stories))]
        title, text = story["title"], story["text"]
        if kind == "url":
            url = (story["url"].replace("http://", "http://www.", 1)
                   + f"/?utm_source=feed{f}&utm_medium=rss&fbclid=x{n}#top")
        elif kind == "content":
            url = f"{base}/copy{f}/{n}"
            title = title.replace(" : ", " — ") + " !"
        else:
            url = f"{base}/copy{f}/{n}"
            title, text = light_edit(rng, title, text)
        feeds[f].append({"id": story["id"], "title": title, "text": text, "url": url,
                         "kind": kind})
        truth[url] = (story["id"], kind)
    return feeds, truth


def rss(items: list[dict], n: int) -> bytes:
    entries = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['url'])}</link>"
        f"<guid>{escape(i['url'])}</guid><description>{escape(i['text'])}</description>"
        f"<pubDate>Mon, 23 Nov 2026 07:00:00 +0100</pubDate></item>" for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {n}</title><link>http://127.0.0.1/</link><description>x</description>"
            f"{entries}</channel></rss>").encode()


class FeedServer:
    def __init__(self) -> None:
        self.bodies: dict[str, tuple[bytes, str]] = {}
        self.status_counts: dict[int, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                body, etag = server.bodies.get(self.path, (b"", ""))
                if not body:
                    self._reply(404, b"")
                elif self.headers.get("If-None-Match") == etag:
                    self._reply(304, b"", etag)
                else:
                    self._reply(200, body, etag)

            def _reply(self, status: int, body: bytes, etag: str = "") -> None:
                server.status_counts[status] = server.status_counts.get(status, 0) + 1
                self.send_response(status)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.1,), daemon=True).start()

    def publish(self, n: int, items: list[dict], version: int) -> None:
        self.bodies[f"/feeds/{n}.xml"] = (rss(items, n), f'"{n}-{version}"')


def setup_django(database_url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="bench-mediawatch-")
    os.environ["VAR_DIR"] = tmp
    os.environ["TESTING"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemicycle.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


VOCAB: tuple[list[str], list[int]] = ([], [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", help="postgres://… (default: a temporary SQLite)")
    args = parser.parse_args()
    setup_django(args.database_url)
    VOCAB[0].extend(vocabulary()[0]), VOCAB[1].extend(vocabulary()[1])

    from hemicycle.accounts.models import Workspace
    from hemicycle.mediawatch import services
    from hemicycle.mediawatch.models import Clipping, Sighting, Source
    from hemicycle.territory.models import Assembly, Departement, Region

    server = FeedServer()
    feeds, truth = corpus(args.seed, server.base)
    for n, items in feeds.items():
        server.publish(n, items, 1)
    region, _ = Region.objects.get_or_create(code="32", defaults={"name": "Hauts-de-France"})
    dep, _ = Departement.objects.get_or_create(code="59", defaults={"name": "Nord",
                                                                    "region": region})
    assembly, _ = Assembly.objects.get_or_create(
        kind="departement", code="59", defaults={"name": "Conseil départemental du Nord",
                                                 "departement": dep, "region": region})
    workspace = Workspace.objects.create(assembly=assembly, name="Banc d'essai",
                                         short_name="Bench", slug="bench")
    Source.objects.bulk_create([
        Source(workspace=workspace, name=f"Flux {n}", url=f"{server.base}/feeds/{n}.xml")
        for n in range(FEEDS)])
    sources = list(Source.objects.filter(workspace=workspace).order_by("pk"))

    def polling_round() -> tuple[float, list]:
        start = time.perf_counter()
        reports = services.sources_poll(sources=sources)
        return time.perf_counter() - start, reports

    first_time, first = polling_round()
    second_time, second = polling_round()
    # Round 3: 10% of the feeds publish 5 new distinct stories each.
    rng = random.Random(args.seed + 1)
    fresh = 0
    for n in range(0, FEEDS, 10):
        for k in range(5):
            title, text = story_text(rng)
            url = f"{server.base}/site{n}/new/{k}"
            feeds[n].insert(0, {"id": -1 - fresh, "title": title, "text": text, "url": url,
                                "kind": "original"})
            truth[url] = (-1 - fresh, "original")
            fresh += 1
        server.publish(n, feeds[n], 2)
    third_time, third = polling_round()

    # Ground truth: each clipping must hold one story; each copy must join its story.
    story_of_clipping: dict[int, set[int]] = {}
    clipping_of_story: dict[int, set[int]] = {}
    kind_ok: dict[str, list[bool]] = {"url": [], "content": [], "near": []}
    sightings = Sighting.objects.filter(workspace=workspace).values_list("url", "clipping_id")
    for url, clipping_id in sightings:
        story, _kind = truth[url]
        story_of_clipping.setdefault(clipping_id, set()).add(story)
        clipping_of_story.setdefault(story, set()).add(clipping_id)
    for story, kind in truth.values():
        if kind in kind_ok:
            kind_ok[kind].append(len(clipping_of_story[story]) == 1)
    false_merges = sum(len(stories) - 1 for stories in story_of_clipping.values())
    near_rate = sum(kind_ok["near"]) / len(kind_ok["near"])
    exact_ok = all(kind_ok["url"]) and all(kind_ok["content"])
    result = {
        "feeds": FEEDS, "items_per_feed": ITEMS, "items": FEEDS * ITEMS,
        "duplicate_share": DUP_SHARE, "template_stories": len(TEMPLATES) * len(COMMUNES),
        "database": "postgresql" if args.database_url else "sqlite",
        "round_1_new_seconds": round(first_time, 2),
        "round_1_items_per_second": round(FEEDS * ITEMS / first_time, 1),
        "round_2_unchanged_304_seconds": round(second_time, 2),
        "round_3_10pct_feeds_5_new_seconds": round(third_time, 2),
        "round_2_statuses": sorted({r.status for r in second}),
        "http_status_counts": server.status_counts,
        "new_clippings_round_1": sum(r.new for r in first),
        "new_clippings_round_3": sum(r.new for r in third),
        "clippings": Clipping.objects.filter(workspace=workspace).count(),
        "distinct_stories": len(clipping_of_story),
        "exact_url_copies": len(kind_ok["url"]),
        "exact_url_caught": sum(kind_ok["url"]),
        "exact_content_copies": len(kind_ok["content"]),
        "exact_content_caught": sum(kind_ok["content"]),
        "near_copies": len(kind_ok["near"]),
        "near_caught": sum(kind_ok["near"]),
        "near_rate": round(near_rate, 4),
        "false_merges": false_merges,
        "target_met": exact_ok and near_rate >= 0.95 and false_merges == 0,
    }
    server.httpd.shutdown()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
