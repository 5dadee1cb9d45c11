"""Every source's existing text becomes its version 1, stored normalised and
rehashed (line endings, trailing whitespace, NFC), so an unchanged save from a
browser keeps the hash from now on."""

import hashlib
import re
import unicodedata

from django.db import migrations

_TRAILING_SPACE = re.compile(r"[ \t\f\v\u00a0]+$", re.MULTILINE)


def _normalize(text):
    # A frozen copy of sources.normalization.normalize_snapshot_text: a
    # migration must not change when the code does.
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return _TRAILING_SPACE.sub("", text).strip("\n")


def forwards(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    SourceSnapshot = apps.get_model("sources", "SourceSnapshot")
    for source in Source.objects.exclude(snapshot="").iterator():
        text = _normalize(source.snapshot)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""
        Source.objects.filter(pk=source.pk).update(snapshot=text, snapshot_sha256=digest)
        if text and not SourceSnapshot.objects.filter(source=source).exists():
            SourceSnapshot.objects.create(
                source=source,
                number=1,
                text=text,
                sha256=digest,
                origin="entered",
                taken_at=source.updated_at,
            )


class Migration(migrations.Migration):
    dependencies = [("sources", "0010_link_status_and_snapshots")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
