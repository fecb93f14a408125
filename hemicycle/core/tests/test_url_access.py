"""Walks every URL of the project and checks who may open it. New modules are covered the
day their urls.py is included, with no test to write.

For each URL pattern (the Django admin and static files aside):

- an anonymous visitor is sent to the login page, unless the view is marked ``@public``
  (hemicycle/accounts/access.py); public views are shown as "(PUBLIC)" in the test ids;
- an outsider (admin of another workspace only) never gets the demo workspace's pages,
  nor its objects through their codes under the outsider's own workspace slug;
- the demo workspace's admin gets no server error on any of them.

URL arguments are filled from the demo workspace: ``slug`` with its slug, ``code`` with
the code of every row of every model that has a ``workspace`` and a ``code`` (whatever the
type of object a page expects), any other argument from SAMPLES below. A pattern with an
argument the walker cannot fill fails: add a sample.

`python -m pytest hemicycle/core/tests/test_url_access.py -v` lists every URL walked.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.views import serve as staticfiles_serve
from django.db import models
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.html import escape
from django.utils.regex_helper import normalize
from django.views.static import serve as static_serve

from hemicycle.accounts import services
from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.accounts.roles import Role
from hemicycle.core.demo import DemoResult, demo_build

# Values for URL arguments other than `slug` and `code`: one for every pattern, or one per
# URL name. They need not exist (a 404 is a fine answer: what is checked is who gets what),
# but real ones open real pages. The test database holds the Nord's territory.
SAMPLES: dict[str, str | dict[str, str]] = {
    "token": "not-a-valid-token",  # invitation and password-reset links
    "uidb64": "MQ",  # password reset: the user id, base64
    "insee_code": "59350",  # a commune (Lille)
    "campaign": "appel-inconnu",  # a call for projects' public address (juries)
    # newsletters' public pages: a list's form and archive, an archived campaign (unknown)
    "list_key": "00000000-0000-4000-8000-000000000001",
    "campaign_key": "00000000-0000-4000-8000-000000000002",
    # newsletters' click tracking: a campaign link's id (unknown: a 404)
    "link": {"newsletters:track-click": "999999"},
    # `code` is a workspace row's UUID, except where a pattern takes an official code; those
    # get the demo's UUIDs too (a 404) and this sample.
    "code": {
        "territory:canton-detail": "59025",  # Lille-3
        "territory:departement-detail": "59",
    },
}
SKIPPED_NAMESPACES = {"admin", "djdt"}
STATIC_VIEWS = {static_serve, staticfiles_serve}


@dataclass(frozen=True)
class Route:
    name: str  # "accounts:login"; the route itself when the pattern has no name
    route: str  # "compte/connexion/"
    regex: str  # the whole regex, includes joined
    callback: object = field(compare=False)
    public: bool = False
    converters: dict = field(default_factory=dict, compare=False)

    @property
    def params(self) -> list[str]:
        return normalize(self.regex)[0][1]

    def build(self, values: dict[str, str]) -> str:
        return "/" + normalize(self.regex)[0][0] % values

    def __str__(self) -> str:
        return f"{self.name} /{self.route}" + (" (PUBLIC)" if self.public else "")


def is_public(view) -> bool:
    """Marked by @public, on the view, on what it wraps, or on its class."""
    while view is not None:
        if getattr(view, "is_public", False):
            return True
        if getattr(getattr(view, "view_class", None), "is_public", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def walk(patterns=None, prefix: tuple = (), namespace: str = "") -> list[Route]:
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        chain = (*prefix, entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES or entry.app_name in SKIPPED_NAMESPACES:
                continue
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            routes += walk(entry.url_patterns, chain, inner)
            continue
        assert isinstance(entry, URLPattern)
        route = "".join(str(part) for part in chain)
        if entry.callback in STATIC_VIEWS or route.startswith(
            (settings.STATIC_URL.lstrip("/"), settings.MEDIA_URL.lstrip("/"))
        ):
            continue
        name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
        regex = "".join(part.regex.pattern.removeprefix("^") for part in chain)
        converters = {k: v for part in chain for k, v in getattr(part, "converters", {}).items()}
        routes.append(Route(name or route, route, regex, entry.callback,
                            is_public(entry.callback), converters))
    return routes


ROUTES = walk()


# --- the demo workspace, an outsider, and what they may see ---------------------------


@dataclass
class Demo:
    result: DemoResult
    outsider: User
    outsider_workspace: Workspace
    # (code, marker) for every row of the demo workspace that has a code; the marker is
    # the row's text, which a page showing the object would contain.
    objects: list[tuple[str, str]]

    @property
    def workspace(self) -> Workspace:
        return self.result.workspace

    @property
    def markers(self) -> list[str]:
        return [self.workspace.name, self.workspace.short_name]


def workspace_models() -> list[type[models.Model]]:
    """Concrete models with a foreign key to Workspace and a `code` field."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = {f.name: f for f in model._meta.get_fields() if f.concrete}
        workspace = fields.get("workspace")
        if workspace is not None and "code" in fields and workspace.related_model is Workspace:
            found.append(model)
    return found


def workspace_objects(workspace: Workspace) -> list[tuple[str, str]]:
    """One row per model (its first): each page with a code is tried with one object of
    every type, so the walk grows with the number of models, not with the demo's size."""
    found = []
    for model in workspace_models():
        obj = model._base_manager.filter(workspace=workspace).order_by("pk").first()
        if obj is not None:
            found.append((str(obj.code), str(obj) or str(obj.code)))
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for the module inside a transaction rolled back at the end;
    each test's own transaction (pytest-django's) nests in it as a savepoint."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield _demo()
        transaction.set_rollback(True)


def _demo() -> Demo:
    result = demo_build(territory=False)
    # The demo has no pending invitation: one more kind of object for the pages with a code.
    services.invitation_create(workspace=result.workspace, email="invitee@example.org",
                               role=Role.STAFF, by=result.users[Role.ADMIN])
    outsider = User.objects.create_user("charlie@example.org", result.password,
                                        full_name="Charlie Outsider")
    elsewhere = Workspace.objects.create(
        assembly=result.other_workspace.assembly, name="Autre groupe", short_name="Autre",
        slug="autre-groupe",
    )
    Membership.objects.create(workspace=elsewhere, user=outsider, role=Role.ADMIN)
    return Demo(result, outsider, elsewhere, workspace_objects(result.workspace))


def sample(route: Route, param: str) -> str | None:
    value = SAMPLES.get(param)
    return value.get(route.name) if isinstance(value, dict) else value


def urls_for(route: Route, slug: str, objects: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(url, marker of the workspace object in it, or "") for each way to fill the route."""
    values = {p: sample(route, p) for p in route.params if p not in ("slug", "code")}
    variants = [("", "")]
    if "code" in route.params:
        converter = route.converters.get("code")
        variants = [(code, marker) for code, marker in objects
                    if converter is None or re.fullmatch(converter.regex, code)]
        if sample(route, "code"):
            variants.append((sample(route, "code"), ""))
        values["code"] = variants[0][0] if variants else None
    unknown = [p for p, value in values.items() if value is None]
    if unknown:
        pytest.fail(
            f"URL pattern {route.name!r} ({route.route}) takes <{'>, <'.join(unknown)}>, which "
            f"the URL walker cannot fill: add a sample value to SAMPLES in {__file__}",
            pytrace=False,
        )
    if "slug" in route.params:
        values["slug"] = slug
    urls = []
    for code, marker in variants:
        url = route.build({**values, "code": code} if code else values)
        found = resolve(url)
        assert found.func is route.callback, (
            f"{url}, built for {route}, opens {found.view_name or found.func} instead: "
            "the pattern is shadowed by an earlier one"
        )
        urls.append((url, marker))
    return urls


def fetch(client: Client, method: str, url: str):
    try:
        response = getattr(client, method)(url)
    except Exception as error:  # a server error: name the URL, keep the traceback
        raise AssertionError(f"{method.upper()} {url} raised {error!r}") from error
    # The test client closes the response itself (a second close() would fire
    # request_finished and close the database connection in the middle of the test).
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response, body.decode(errors="replace")


def shown(markers: list[str], body: str) -> list[str]:
    """The markers found in a page; those too short to be told from a common word
    ("Pour", a two-letter code) are not looked for."""
    return [m for m in markers if len(m) >= 8 and (m in body or escape(m) in body)]


def is_login_redirect(response, url: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return (location.path == resolve_url(settings.LOGIN_URL)
            and parse_qs(location.query).get("next") == [url])


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def route_id(route: Route) -> str:
    return str(route)


# --- the tests ---------------------------------------------------------------------


def test_the_walker_finds_the_project_urls():
    by_name = {route.name: route for route in ROUTES}
    assert "core:dashboard" in by_name and not by_name["core:dashboard"].public
    assert by_name["accounts:login"].public
    assert not any(route.route.startswith("admin/") for route in ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_anonymous_is_sent_to_login(client, demo, route):
    for url, _marker in urls_for(route, demo.workspace.slug, demo.objects):
        response, body = fetch(client, "get", url)
        if route.public:
            assert response.status_code < 500, f"GET {url}: {response.status_code}"
            assert not shown(demo.markers, body), f"GET {url} shows the workspace to anyone"
            continue
        if response.status_code == 405:  # POST only: the POST must be refused too
            response, body = fetch(client, "post", url)
        assert is_login_redirect(response, url), (
            f"anonymous {response.request['REQUEST_METHOD']} {url}: expected a redirect to "
            f"the login page, got {response.status_code} {response.get('Location', '')}"
            "; mark the view @public if anyone may open it"
        )


def assert_refused(client: Client, url: str, markers: list[str], workspace: Workspace) -> None:
    """No page, no workspace data, no action: 403/404 (405 then refused on POST)."""
    response, body = fetch(client, "get", url)
    status = response.status_code
    assert not 200 <= status < 300, f"the outsider got {status} on GET {url}"
    assert not shown(markers, body), f"GET {url} shows {shown(markers, body)} to the outsider"
    if 300 <= status < 400:
        assert f"/w/{workspace.slug}/" not in response["Location"], (
            f"GET {url} sends the outsider into the workspace: {response['Location']}")
    if status == 405:
        response, body = fetch(client, "post", url)
        assert response.status_code in (403, 404) or is_login_redirect(response, url), (
            f"the outsider got {response.status_code} on POST {url}: expected 404")
        assert not shown(markers, body), f"POST {url} shows {shown(markers, body)}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_outsider_never_sees_the_workspace(demo, route):
    client = logged_in(demo.outsider)
    everything = [*demo.markers, *(marker for _code, marker in demo.objects)]
    if "slug" in route.params:
        for url, marker in urls_for(route, demo.workspace.slug, demo.objects):
            assert_refused(client, url, [*demo.markers, marker], demo.workspace)
    # Under the outsider's own workspace (or none): the demo's objects are refused (the real
    # leak test), and the outsider's own pages show nothing of the demo workspace.
    for url, marker in urls_for(route, demo.outsider_workspace.slug, demo.objects):
        if marker:
            assert_refused(client, url, everything, demo.workspace)
            continue
        response, body = fetch(client, "get", url)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        assert not shown(everything, body), (
            f"GET {url} shows the outsider {shown(everything, body)} of the demo workspace")


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_admin_gets_no_server_error(demo, route):
    client = logged_in(demo.result.users[Role.ADMIN])
    for url, _marker in urls_for(route, demo.workspace.slug, demo.objects):
        response, _body = fetch(client, "get", url)
        assert response.status_code < 500, f"the admin got {response.status_code} on GET {url}"
