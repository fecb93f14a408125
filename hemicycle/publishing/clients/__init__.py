"""HTTP clients for the networks, one module each. They know nothing of Django: they take
an ``Outgoing`` item, talk to the service with httpx, and return a ``Result`` or raise
``PublishError`` (see base.py). The services turn errors into French for the page."""
