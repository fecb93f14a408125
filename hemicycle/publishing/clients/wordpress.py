"""WordPress REST API (wp/v2) with an application password (HTTP basic auth).

Every route is called as ``<site>/?rest_route=/wp/v2/...``, which works with plain
permalinks as well as pretty ones. Posts are created once: the remote id is kept and a
new publication of the same post updates it (POST /wp/v2/posts/<id>); uploaded media
ids are kept too (``Result.data["media"]``) so an update does not upload them again.
"""

import html
import re

import httpx

from hemicycle.lib.text import normalize_name
from hemicycle.publishing.clients.base import (
    Outgoing,
    PublishError,
    Result,
    json_of,
    new_http,
    send,
)

STATUSES = ("publish", "draft", "pending", "private")


class WordPressClient:
    def __init__(self, base_url: str, username: str, app_password: str,
                 http: httpx.Client | None = None):
        if not base_url or not username or not app_password:
            raise PublishError("config", "site URL, user name and application password needed")
        self.base = base_url.rstrip("/") + "/"
        self.http = new_http(http)
        # Application passwords are shown with spaces; WordPress accepts them either way.
        self.auth = httpx.BasicAuth(username, app_password.replace(" ", ""))

    def call(self, method: str, route: str, params: dict | None = None, **kwargs) -> dict:
        query = {"rest_route": route, **(params or {})}
        return json_of(send(self.http, method, self.base, params=query, auth=self.auth,
                            **kwargs))

    def call_list(self, route: str, params: dict) -> list:
        query = {"rest_route": route, **params}
        data = send(self.http, "GET", self.base, params=query, auth=self.auth).json()
        if not isinstance(data, list):
            raise PublishError("server", "expected a list", transient=True)
        return data

    def check(self) -> str:
        data = self.call("GET", "/wp/v2/users/me", {"context": "edit"})
        return data.get("name") or data.get("slug", "")

    def upload(self, image) -> dict:
        disposition = f'attachment; filename="{image.filename}"'
        data = self.call("POST", "/wp/v2/media", {"alt_text": image.alt}, content=image.data,
                         headers={"Content-Type": image.mime,
                                  "Content-Disposition": disposition})
        if image.alt and data.get("alt_text") != image.alt:
            self.call("POST", f"/wp/v2/media/{data['id']}", json={"alt_text": image.alt})
        return {"id": int(data["id"]), "url": data.get("source_url", "")}

    def upload_file(self, filename: str, data: bytes, mime: str, title: str = "") -> dict:
        """Any file (a press release's PDF) into the media library: {"id", "url"}."""
        disposition = f'attachment; filename="{filename}"'
        params = {"title": title} if title else {}
        data = self.call("POST", "/wp/v2/media", params, content=data,
                         headers={"Content-Type": mime, "Content-Disposition": disposition})
        return {"id": int(data["id"]), "url": data.get("source_url", "")}

    def media_delete(self, media_id: int) -> None:
        """Remove a file replaced by a newer version; already gone is fine."""
        try:
            self.call("DELETE", f"/wp/v2/media/{media_id}", {"force": "true"})
        except PublishError as error:
            if error.kind != "not_found":
                raise

    def page_save(self, *, remote_id: str, slug: str, title: str, content: str,
                  status: str = "publish") -> Result:
        """Create the page once, then update it: by its stored id, else by its slug (a
        page made by an earlier run whose id was lost), never a second page."""
        payload = {"title": title, "content": content, "status": status}
        if not remote_id:
            found = self.call_list("/wp/v2/pages", {
                "slug": slug, "status": "publish,draft,pending,private", "context": "edit"})
            remote_id = str(found[0]["id"]) if found else ""
        if remote_id:
            try:
                data = self.call("POST", f"/wp/v2/pages/{remote_id}", json=payload)
            except PublishError as error:
                if error.kind != "not_found":
                    raise
                remote_id = ""  # deleted on the site (or emptied from the trash): again
        if not remote_id:
            data = self.call("POST", "/wp/v2/pages", json={**payload, "slug": slug})
        return Result(str(data["id"]), data.get("link", ""))

    def term(self, taxonomy: str, name: str) -> int:
        """The id of the category or tag with this name, created if missing."""
        for term in self.call_list(f"/wp/v2/{taxonomy}", {"search": name, "per_page": 20}):
            if html.unescape(term.get("name", "")).casefold() == name.casefold():
                return int(term["id"])
        try:
            return int(self.call("POST", f"/wp/v2/{taxonomy}", json={"name": name})["id"])
        except PublishError as error:
            match = re.search(r"term_exists|already exists", error.detail)
            if not match:
                raise
            return self.term(taxonomy, name)

    def find_by_slug(self, slug: str) -> dict | None:
        found = self.call_list("/wp/v2/posts", {
            "slug": slug, "status": "publish,draft,pending,private,future", "context": "edit"})
        return found[0] if found else None

    def publish(self, item: Outgoing) -> Result:
        media = dict(item.options.get("media", {}))
        for image in item.images:
            if image.key not in media:
                media[image.key] = self.upload(image)
        slug = ""
        if item.key:  # found again by a retry whose first attempt's answer was lost
            slug = normalize_name(item.title).replace(" ", "-")[:60] + "-" + item.key[:6]
        payload = {
            "title": item.title,
            "content": self.content(item, media),
            "status": item.options.get("status", "publish") if item.options.get(
                "status", "publish") in STATUSES else "publish",
            "categories": [self.term("categories", n) for n in item.options.get("categories", [])],
            "tags": [self.term("tags", n) for n in item.options.get("tags", [])],
        }
        if item.images:
            payload["featured_media"] = media[item.images[0].key]["id"]
        remote_id = item.remote_id
        if not remote_id and slug and item.attempt > 1:  # did a previous attempt get through?
            found = self.find_by_slug(slug)
            remote_id = str(found["id"]) if found else ""
        if remote_id:
            try:
                data = self.call("POST", f"/wp/v2/posts/{remote_id}", json=payload)
            except PublishError as error:
                if error.kind != "not_found":
                    raise
                remote_id = ""  # deleted on the site: publish it again
        if not remote_id:
            if slug:
                payload["slug"] = slug
            data = self.call("POST", "/wp/v2/posts", json=payload)
        return Result(str(data["id"]), data.get("link", ""), {"media": media})

    def content(self, item: Outgoing, media: dict) -> str:
        if item.html:
            body = item.html
        else:
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n", item.text) if p.strip()]
            body = "\n".join(
                "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
        for image in item.images[1:]:
            uploaded = media[image.key]
            body += (f'\n<figure class="wp-block-image"><img class="wp-image-{uploaded["id"]}" '
                     f'src="{html.escape(uploaded["url"])}" alt="{html.escape(image.alt)}">'
                     '</figure>')
        if item.link and item.link not in body:
            body += f'\n<p><a href="{html.escape(item.link)}">{html.escape(item.link)}</a></p>'
        return body
