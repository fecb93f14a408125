from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hemicycle.audit.context import acting_as


class AuditActorMiddleware:
    """Attributes every change made during a request to the logged-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with acting_as(user, str(user) if user else "anonyme"):
            return self.get_response(request)
