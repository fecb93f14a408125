"""The JSON links of clippings, converted to relations by 0002, go. A migration of its own:
PostgreSQL refuses to alter a table in the transaction that just wrote rows pointing at it."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('mediawatch', '0002_clipping_relations_digest_time'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='clipping',
            name='links',
        ),
    ]
