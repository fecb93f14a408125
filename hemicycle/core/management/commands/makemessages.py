from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching: a new French string gets an empty
    English translation (which the i18n test reports) rather than a wrong guess."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
