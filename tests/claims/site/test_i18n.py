"""English and Spanish: acceptance 6 (no untranslated interface string on the
Spanish demo site), the catalog, and claim text that is never translated."""

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

from claims.models import Claim, Claimant, Topic
from sources.models import Source
from tests.claims.site.reading import page, text_of

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def catalog_entries(catalog: Path = CATALOG) -> list[dict]:
    """The .po file's entries: context, msgid, plural, translations, flags."""
    entries, entry, field = [], {}, None
    for raw in catalog.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {}, None
            continue
        if line.startswith("#,"):
            entry["flags"] = line[2:].strip()
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            field, value = match.group(1), match.group(2)
        else:
            value = line[1:-1]
        entry[field] = entry.get(field, "") + bytes(value, "utf-8").decode("unicode_escape").encode(
            "latin-1"
        ).decode("utf-8")
    return entries


def translated_entries():
    return [e for e in catalog_entries() if e["msgid"]]


def test_every_catalog_entry_is_translated_and_not_fuzzy():
    entries = translated_entries()
    assert len(entries) > 300
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", ""), entry["msgid"]
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert strings and all(strings), entry["msgid"]
        # Placeholders survive translation.
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == sorted(
                PLACEHOLDER.findall(entry.get("msgid_plural", entry["msgid"]))
                if "msgid_plural" in entry and string is not strings[0]
                else PLACEHOLDER.findall(entry["msgid"])
            ), entry["msgid"]


def test_every_string_the_project_uses_has_a_spanish_translation(tmp_path, monkeypatch):
    """makemessages over a copy of the project's code and templates, merged
    into a copy of the catalog: a string the code uses that the catalog lacks,
    or has only as msgmerge's fuzzy guess, comes out untranslated."""
    root = Path(settings.BASE_DIR)
    skip = shutil.ignore_patterns("__pycache__", "static", "migrations")
    for name in ["claims", "sources", "config", "templates"]:
        shutil.copytree(root / name, tmp_path / name, ignore=skip)
    catalog = tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"
    catalog.parent.mkdir(parents=True)
    shutil.copy(CATALOG, catalog)
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        call_command("makemessages", locale=["es"], domain="django", no_obsolete=True, verbosity=0)
    entries = [e for e in catalog_entries(catalog) if e["msgid"]]
    assert len(entries) >= len(translated_entries()) * 0.9  # the whole project was read
    missing = [
        entry["msgid"]
        for entry in entries
        if "fuzzy" in entry.get("flags", "")
        or not all(v for k, v in entry.items() if k.startswith("msgstr"))
    ]
    assert missing == [], f"{len(missing)} strings lack a Spanish translation"
    # And nothing the catalog translates was left behind: a string that
    # makemessages no longer finds (a template it cannot read) would be
    # dropped from the catalog the next time it runs.
    found = {(e.get("msgctxt"), e["msgid"]) for e in entries}
    lost = [e["msgid"] for e in translated_entries() if (e.get("msgctxt"), e["msgid"]) not in found]
    assert lost == [], f"makemessages no longer finds these: {lost}"


def test_makemessages_reads_the_reader_pages_jinja2_templates():
    """The reader pages are Jinja2 (claims/site/rendering/): their strings
    reach xgettext as the gettext calls they are, on their own lines, with the
    msgids Django's blocktranslate gave them (placeholders by name)."""
    from claims.management.commands.makemessages import as_gettext_calls

    template = (
        '<p>{{ _("Evidence") }}</p>\n'
        '{{ pgettext("date a fact-check or source was published", "Published") }}\n'
        "{% trans label=rating.label, text=claim.text|truncatechars(110) %}"
        "{{ label }}: “{{ text }}”{% endtrans %}\n"
        "{% trans trimmed counter=n %}\n  Repeated once.\n{% pluralize %}\n"
        "  Repeated {{ counter }} times.\n{% endtrans %}\n"
        '{{ _("as of %(date)s", date=when) }}'
    )
    lines = as_gettext_calls(template).split("\n")
    assert lines[0] == "_('Evidence'); "
    assert lines[1] == "pgettext('date a fact-check or source was published', 'Published'); "
    assert lines[2] == "gettext('%(label)s: “%(text)s”'); "
    assert "ngettext('Repeated once.', 'Repeated %(counter)s times.'); " in lines[3:8]
    assert lines[-1] == "_('as of %(date)s'); "


def test_the_committed_mo_file_matches_the_po_file():
    with open(CATALOG.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in translated_entries():
        key = entry["msgid"]
        if "msgctxt" in entry:
            assert compiled.pgettext(entry["msgctxt"], key) == entry["msgstr"], key
        elif "msgid_plural" in entry:
            assert compiled.ngettext(key, entry["msgid_plural"], 1) == entry["msgstr[0]"], key
            assert compiled.ngettext(key, entry["msgid_plural"], 5) == entry["msgstr[2]"], key
        else:
            assert compiled.gettext(key) == entry["msgstr"], key


def english_interface_strings() -> list[str]:
    """The English strings the site knows: every catalog msgid whose Spanish
    differs, cut at its placeholders, keeping fragments a reader would notice."""
    fragments = set()
    for entry in translated_entries():
        spanish = " ".join(v for k, v in entry.items() if k.startswith("msgstr"))
        for source in (entry["msgid"], entry.get("msgid_plural", "")):
            for fragment in PLACEHOLDER.split(source):
                fragment = fragment.strip(" .,:;“”()")
                # Names the Spanish keeps as they are (RSS, Atom, URL) are not English.
                readable = len(fragment) >= 4 and re.search(r"[A-Za-z]{3}", fragment)
                if readable and fragment not in spanish:
                    fragments.add(fragment)
    return sorted(fragments, key=len, reverse=True)


def interface_text(soup) -> str:
    """What a reader of the Spanish page reads as interface: visible text and
    accessible names, minus content marked as being in another language
    (claim text, quotes, source titles, language names), which is never translated."""
    for node in soup.find_all(["script", "style"]):
        node.decompose()
    for node in soup.body.find_all(lang=True):
        if not node["lang"].startswith("es"):
            node.decompose()
    parts = [soup.body.get_text(" ")]
    for node in soup.body.find_all(True):
        parts += [node.get(a, "") for a in ("aria-label", "title", "alt", "placeholder")]
    for svg_title in soup.body.find_all(["title", "desc"]):
        parts.append(svg_title.get_text(" "))
    return " ".join(" ".join(parts).split())


def spanish_demo_pages() -> list[str]:
    urls = [
        "/es/",
        "/es/claims/",
        "/es/claims/?rating=mostly-true&ordering=-published",
        "/es/claims/?q=migrantes&published_after=2000-01-01",
        "/es/corrections/",
        "/es/methodology/",
        "/es/about/",
        "/es/contact/",
        "/es/claims/no-such-claim/",
        "/es/claims/migrants-tried-to-force-border-crossing/",
    ]
    urls += ["/es" + c.get_absolute_url() for c in Claim.objects.public()]
    urls += [
        "/es" + c.get_absolute_url()
        for c in Claimant.objects.filter(claims__status="published").distinct()
    ]
    urls += ["/es" + t.get_absolute_url() for t in Topic.objects.all()]
    urls += ["/es" + s.get_absolute_url() for s in Source.objects.all()]
    return urls


def test_spanish_demo_site_shows_no_untranslated_interface_string(demo, client):
    english = english_interface_strings()
    assert {"Our verdict", "Skip to main content", "Supports the claim", "Corrections log"} <= set(
        english
    )
    patterns = [(s, re.compile(rf"(?<![\w/-]){re.escape(s)}(?![\w/-])")) for s in english]
    urls = spanish_demo_pages()
    assert len(urls) >= 20
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        soup = page(response)
        assert soup.html["lang"] == "es", url
        text = interface_text(soup)
        untranslated = [s for s, pattern in patterns if pattern.search(text)]
        assert not untranslated, (url, untranslated)


def test_the_check_finds_english_when_it_is_there(demo, client):
    """The scan above would fail on an English page: it is not vacuous."""
    english = english_interface_strings()
    text = interface_text(page(client.get("/claims/migrant-crisis-overcome/")))
    found = {s for s in english if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)}
    assert {"Our verdict", "Evidence", "Skip to main content", "Where the claim was made"} <= found


def test_claim_text_is_never_translated_and_keeps_its_language(demo, client):
    claim = Claim.objects.get(slug="migrant-crisis-overcome")
    soup = page(client.get("/es" + claim.get_absolute_url()))
    assert text_of(soup.h1) == claim.text and soup.h1["lang"] == "en"
    assert text_of(soup.select_one(".verdict .rating-badge__label")) == "Verdad a medias"
    assert "Temas" in text_of(soup) and "Situación humanitaria" in text_of(soup)
