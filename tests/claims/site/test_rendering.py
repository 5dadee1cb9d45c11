"""The reader pages' Jinja2 environment (claims/site/rendering/): what its
templates call does what Django's tags and filters did for them."""

import datetime

import pytest
from django.template import engines
from django.test import RequestFactory, override_settings
from django.utils import timezone
from django.utils.translation import override
from jinja2 import FileSystemLoader

from claims.site.rendering import environment as rendering


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_values_are_escaped_and_safe_html_is_kept():
    from django.utils.safestring import mark_safe

    html = render("{{ a }}|{{ b }}", a="<script>'x'</script>", b=mark_safe("<em>kept</em>"))
    assert html == "&lt;script&gt;&#39;x&#39;&lt;/script&gt;|<em>kept</em>"


def test_escaping_cannot_be_turned_off_by_the_options():
    env = rendering.environment(autoescape=False, loader=FileSystemLoader([]))
    assert env.from_string("{{ a }}").render(a="<b>") == "&lt;b&gt;"


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_name_prints_nothing_with_or_without_debug(debug):
    with override_settings(DEBUG=debug):
        assert render("[{{ missing }}][{{ missing.deeper.still }}]") == "[][]"


def test_translations_come_from_the_catalog_with_their_values_escaped():
    source = (
        '{{ _("Evidence") }}|{{ pgettext("date a fact-check or source was published", '
        '"Published") }}|{{ _("as of %(date)s", date=when) }}'
    )
    assert render(source, when="<b>") == "Evidence|Published|as of &lt;b&gt;"
    with override("es"):
        assert render(source, when="<b>") == "Evidencia|Publicada|a fecha de &lt;b&gt;"


def test_a_translation_block_and_its_plural_read_the_catalog():
    source = (
        "{% trans trimmed counter=n %}\n  Repeated once since we rated it.\n{% pluralize %}\n"
        "  Repeated {{ counter }} times since we rated it.\n{% endtrans %}"
    )
    assert render(source, n=1) == "Repeated once since we rated it."
    with override("es"):
        assert render(source, n=3) == "Repetida 3 veces desde que la calificamos."


def test_kept_translations_follow_the_language_and_a_changed_catalog(settings):
    with override("es"):
        assert rendering.translate("Evidence") == "Evidencia"
    assert rendering.translate("Evidence") == "Evidence"
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]  # a setting changes
    assert rendering._translated == {}


def test_the_date_filter_shows_a_moment_in_the_active_time_zone():
    moment = datetime.datetime(2026, 1, 1, 3, 30, tzinfo=datetime.UTC)
    with timezone.override("America/Lima"):  # UTC-5: still the last day of 2025
        assert render('{{ m|date("Y-m-d H:i") }}', m=moment) == "2025-12-31 22:30"
    with override("es"):
        assert render('{{ d|date("DATE_FORMAT") }}', d=moment.date()) == "1 de enero de 2026"


def test_querystring_changes_the_requests_parameters_as_djangos_tag_does():
    request = RequestFactory().get("/claims/?q=police&page=2&rating=false")
    assert rendering.querystring(request, page=3) == "?q=police&page=3&rating=false"
    assert rendering.querystring(request, page=None) == "?q=police&rating=false"
    assert rendering.querystring(RequestFactory().get("/claims/"), page=None) == ""
    html = render("{{ querystring(request, page=3) }}", request=request)
    assert html == "?q=police&amp;page=3&amp;rating=false"


def test_url_reverses_as_djangos_tag_does():
    assert render("{{ url('claims:methodology') }}") == "/methodology/"
    assert render("{{ url('claims:detail', slug='a-b') }}") == "/claims/a-b/"
    with override("es"):
        assert render("{{ url('claims:corrections') }}") == "/es/corrections/"


def test_static_addresses_are_djangos_and_follow_the_script_prefix(settings):
    from django.templatetags.static import static
    from django.urls import set_script_prefix

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        for prefix in ["/", "/veraz/", "/"]:
            set_script_prefix(prefix)
            assert rendering.static_url("css/site.css") == static("css/site.css")
            assert render("{{ static('favicon.svg') }}") == static("favicon.svg")
    finally:
        set_script_prefix("/")
