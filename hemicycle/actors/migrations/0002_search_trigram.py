"""PostgreSQL only: a trigram index on the search column, so that "contains" searches
(LIKE '%velo%') use an index over 200,000 actors. SQLite scans the (workspace,
search_text) index instead, which is fast enough there (bench/bench_actor_filters.py).
Without the right to create the pg_trgm extension the index is skipped, not the deploy.
"""

from django.db import migrations, transaction
from django.db.utils import DatabaseError


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS actor_search_trgm ON actors_actor "
                "USING gin (search_text gin_trgm_ops)")
    except DatabaseError:
        pass


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS actor_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
