"""`hemicycle import-actors …`: the spelling of the issue, same command as import_actors
(the console script passes the name to Django unchanged)."""

from hemicycle.actors.management.commands.import_actors import Command  # noqa: F401
