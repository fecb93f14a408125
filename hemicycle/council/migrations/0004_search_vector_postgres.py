from django.db import migrations

# PostgreSQL: a stored tsvector (computed by the database on every write) with its GIN
# index, instead of an index on an expression: ranking then reads the stored vectors
# rather than parsing every matching text again. SQLite uses its FTS5 table.
POSTGRES_CREATE = [
    "DROP INDEX IF EXISTS council_search_gin",
    """ALTER TABLE council_searchentry ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (setweight(to_tsvector('simple', title), 'A')
                             || setweight(to_tsvector('simple', body), 'B')) STORED""",
    "CREATE INDEX council_search_vector_gin ON council_searchentry USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS council_search_vector_gin",
    "ALTER TABLE council_searchentry DROP COLUMN IF EXISTS search_vector",
]


def vector_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_CREATE:
            schema_editor.execute(sql)


def vector_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("council", "0003_search_scope"),
    ]

    operations = [
        migrations.RunPython(vector_create, vector_drop),
    ]
