import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

# SearchEntry gets ``source``/``source_id`` (another app's thing: a writing, a note), a
# ``day`` (date ranges) and a longer ``scope`` (the facets' tokens, see
# search.scope_tokens). Written by hand: on SQLite, Django would rebuild the table to
# alter it, which would drop the FTS5 triggers; plain ADD COLUMN keeps them.
SQLITE = [
    "ALTER TABLE council_searchentry ADD COLUMN source varchar(20) NOT NULL DEFAULT ''",
    "ALTER TABLE council_searchentry ADD COLUMN source_id bigint NULL "
    "CHECK (source_id >= 0)",
    "ALTER TABLE council_searchentry ADD COLUMN day date NULL",
]
POSTGRES = [
    "ALTER TABLE council_searchentry ADD COLUMN source varchar(20) NOT NULL DEFAULT ''",
    "ALTER TABLE council_searchentry ADD COLUMN source_id bigint NULL "
    "CHECK (source_id >= 0)",
    "ALTER TABLE council_searchentry ADD COLUMN day date NULL",
    "ALTER TABLE council_searchentry ALTER COLUMN scope TYPE text",
    # The facets' tokens go into the vector with weight D, the words are searched in A and
    # B only (search._postgres).
    "DROP INDEX IF EXISTS council_search_vector_gin",
    "ALTER TABLE council_searchentry DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE council_searchentry ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (setweight(to_tsvector('simple', title), 'A')
                             || setweight(to_tsvector('simple', body), 'B')
                             || setweight(to_tsvector('simple', scope), 'D')) STORED""",
    "CREATE INDEX council_search_vector_gin ON council_searchentry USING gin (search_vector)",
    # Long values out of line: the heap a search scans stays small.
    "ALTER TABLE council_searchentry SET (toast_tuple_target = 128)",
]
BOTH = [
    "CREATE UNIQUE INDEX council_searchentry_one_per_source ON council_searchentry "
    "(source, source_id) WHERE source_id IS NOT NULL",
    "CREATE INDEX council_searchentry_day ON council_searchentry (day)",
]
# Entries indexed before: their facets' tokens and day come from a rebuild
# (``hemicycle search --rebuild``); the sittings' tokens were already there.
FILL_DAY = {
    "sqlite": """UPDATE council_searchentry SET day = (
        SELECT date(s.starts_at) FROM council_sitting s WHERE s.id = COALESCE(
        (SELECT sitting_id FROM council_report WHERE id = council_searchentry.report_id),
        (SELECT sitting_id FROM council_document WHERE id = council_searchentry.document_id)))""",
    "postgresql": """UPDATE council_searchentry e SET day = s.starts_at::date
        FROM council_sitting s WHERE s.id = COALESCE(
        (SELECT sitting_id FROM council_report WHERE id = e.report_id),
        (SELECT sitting_id FROM council_document WHERE id = e.document_id))""",
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in (POSTGRES if vendor == "postgresql" else SQLITE) + BOTH:
        schema_editor.execute(sql)
    if vendor in FILL_DAY:
        schema_editor.execute(FILL_DAY[vendor])


def backwards(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS council_searchentry_one_per_source")
    schema_editor.execute("DROP INDEX IF EXISTS council_searchentry_day")
    for column in ("source", "source_id", "day"):
        schema_editor.execute(f"ALTER TABLE council_searchentry DROP COLUMN {column}")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_juror_role'),
        ('council', '0006_followup_assignees_comments'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='searchentry',
                    name='source',
                    field=models.CharField(blank=True, default='', max_length=20),
                ),
                migrations.AddField(
                    model_name='searchentry',
                    name='source_id',
                    field=models.PositiveBigIntegerField(blank=True, null=True),
                ),
                migrations.AddField(
                    model_name='searchentry',
                    name='day',
                    field=models.DateField(blank=True, null=True),
                ),
                migrations.AlterField(
                    model_name='searchentry',
                    name='scope',
                    field=models.TextField(blank=True),
                ),
                migrations.AddConstraint(
                    model_name='searchentry',
                    constraint=models.UniqueConstraint(
                        condition=models.Q(('source_id__isnull', False)),
                        fields=('source', 'source_id'),
                        name='council_searchentry_one_per_source'),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
        migrations.CreateModel(
            name='SavedSearch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.CharField(max_length=120, verbose_name='nom')),
                ('params', models.JSONField(blank=True, default=dict)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='council_saved_searches', to=settings.AUTH_USER_MODEL)),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_set', to='accounts.workspace')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
    ]
