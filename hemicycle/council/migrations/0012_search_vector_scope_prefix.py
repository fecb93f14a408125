from django.db import migrations

# PostgreSQL: the facets' tokens enter the stored vector prefixed with "zz" ("zzw12r",
# "zzm3"), which no prepared word can be (searchsyntax.prepare), instead of being told
# apart by their weight (D). A query then needs no weight, and the GIN index answers it
# alone: with a weight, PostgreSQL read every candidate's vector again, several
# kilobytes out of line, ~0.1 ms each (search._postgres). SQLite keeps its FTS5 table.
VECTOR = """setweight(to_tsvector('simple', title), 'A')
    || setweight(to_tsvector('simple', body), 'B')
    || setweight(to_tsvector('simple', {scope}), 'D')"""
PREFIXED = r"regexp_replace(scope, '(\S+)', 'zz\1', 'g')"


def _vector(schema_editor, scope: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "DROP INDEX IF EXISTS council_search_vector_gin",
        "ALTER TABLE council_searchentry DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE council_searchentry ADD COLUMN search_vector tsvector GENERATED "
        f"ALWAYS AS ({VECTOR.format(scope=scope)}) STORED",
        "CREATE INDEX council_search_vector_gin ON council_searchentry "
        "USING gin (search_vector)",
    ):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _vector(schema_editor, PREFIXED)


def backwards(apps, schema_editor):
    _vector(schema_editor, "scope")


class Migration(migrations.Migration):

    dependencies = [
        ("council", "0011_report_citations"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
