"""Clippings' search text in the council search's form (folded and stemmed words,
padded with spaces), which keyword rules and the inbox search now read; and their
near-duplicate signatures in the faster hashing of dedup.VERSION "…-v2" (signatures of
two versions cannot be compared)."""

from django.db import migrations

BATCH = 500


def search_text_rebuild(apps, schema_editor):
    from hemicycle.mediawatch import dedup
    from hemicycle.mediawatch.matching import padded

    Clipping = apps.get_model("mediawatch", "Clipping")
    fields = ["search_text", "signature"]
    batch = []
    rows = Clipping.objects.only("pk", "title", "summary", "text").iterator(chunk_size=BATCH)
    for clipping in rows:
        clipping.search_text = padded(f"{clipping.title} {clipping.summary} {clipping.text}")
        signature = dedup.signature(f"{clipping.title} {clipping.text or clipping.summary}")
        clipping.signature = dedup.signature_pack(signature) if signature else None
        batch.append(clipping)
        if len(batch) >= BATCH:
            Clipping.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        Clipping.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):

    dependencies = [
        ('mediawatch', '0003_remove_clipping_links'),
    ]

    operations = [
        migrations.RunPython(search_text_rebuild, migrations.RunPython.noop),
    ]
