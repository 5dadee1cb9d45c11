"""The site's About and Contact pages, in English and Spanish, as flat pages an
administrator edits (Admin → Flat pages). Content is Markdown; the public site
renders it through claims.markup.render_markdown.

Also names the current Site after the newsroom, so the admin and the flat pages
show the real domain instead of example.com.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations

PAGES = [
    (
        "/about/",
        "About us",
        "*This is placeholder text. An administrator replaces it in the newsroom admin, "
        "under Flat pages → /about/.*\n\n"
        "We are an independent fact-checking newsroom. We check what public figures say "
        "about matters of public interest, show every source we rely on, and correct our "
        "mistakes in the open.\n\n"
        "Read [how we work](/methodology/) and our [corrections log](/corrections/).",
    ),
    (
        "/contact/",
        "Contact",
        "*This is placeholder text. An administrator replaces it in the newsroom admin, "
        "under Flat pages → /contact/.*\n\n"
        "To suggest a claim to check, send a correction, or ask about our work, write to "
        "the newsroom. Tell us which fact-check you mean (its address) and what you know.",
    ),
    (
        "/es/about/",
        "Quiénes somos",
        "*Este es un texto provisional. Un administrador lo reemplaza en la administración "
        "de la redacción, en Páginas estáticas → /es/about/.*\n\n"
        "Somos una redacción de verificación de datos independiente. Verificamos lo que "
        "dicen figuras públicas sobre asuntos de interés público, mostramos cada fuente "
        "en la que nos basamos y corregimos nuestros errores a la vista de todos.\n\n"
        "Lea [cómo trabajamos](/es/methodology/) y nuestro "
        "[registro de correcciones](/es/corrections/).",
    ),
    (
        "/es/contact/",
        "Contacto",
        "*Este es un texto provisional. Un administrador lo reemplaza en la administración "
        "de la redacción, en Páginas estáticas → /es/contact/.*\n\n"
        "Para sugerir una afirmación para verificar, enviar una corrección o preguntar por "
        "nuestro trabajo, escriba a la redacción. Indique a qué verificación se refiere "
        "(su dirección) y qué sabe.",
    ),
]


def create_site_pages(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    db = schema_editor.connection.alias
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    site, created = Site.objects.using(db).get_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.NEWSROOM_NAME}
    )
    if created:
        # Inserting an explicit pk leaves PostgreSQL's sequence behind; the sites
        # app does the same reset when it creates its default site.
        sequence_sql = schema_editor.connection.ops.sequence_reset_sql(no_style(), [Site])
        with schema_editor.connection.cursor() as cursor:
            for sql in sequence_sql:
                cursor.execute(sql)
    elif site.domain == "example.com":
        site.domain, site.name = domain, settings.NEWSROOM_NAME
        site.save(update_fields=["domain", "name"])
    for url, title, content in PAGES:
        page, _ = FlatPage.objects.using(db).get_or_create(
            url=url, defaults={"title": title, "content": content}
        )
        page.sites.add(site)


def remove_site_pages(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    FlatPage.objects.using(schema_editor.connection.alias).filter(
        url__in=[url for url, _, _ in PAGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_roles"),
        ("flatpages", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(create_site_pages, remove_site_pages)]
