"""The Jinja2 environment of the reader site's templates.

The reader pages are the ones a viral spike hits, and on a page served without
the shared cache rendering Django templates was half of its cost: in Jinja2
the claim page's template renders in about half the time (1.8 against 1.0 ms;
BENCHMARKS.md, "The cold claim page, seventh round"). What the templates
call is what Django's template tags and filters did: translations are
Django's own catalogs (gettext, pgettext, ngettext, through Jinja2's i18n
extension), dates go through Django's `date` filter in the active time zone,
values are escaped on output (autoescape), and Django's safe strings (forms,
Markdown, ClaimReview JSON) stay as they are. A name a template does not
define prints nothing, as it did.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters, defaulttags
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

from claims.site.rendering import charts, helpers
from config.reverse import reverse_fixed, reverse_slug


def url(viewname: str, *args, **kwargs) -> str:
    """Django's {% url %}: `url("claims:detail", slug=...)`."""
    if not args and not kwargs:
        return reverse_fixed(viewname)
    if not args and kwargs.keys() == {"slug"}:
        return reverse_slug(viewname, kwargs["slug"])
    return reverse(viewname, args=args, kwargs=kwargs)


# The templates' own strings in each language, as Django's catalog translates
# them: a page asks for some sixty, and Django's gettext walks the catalog and
# its fallbacks for each. Their number is that of the strings the templates
# hold, times the languages; a changed setting (in a test) forgets them, and
# with DEBUG on nothing is kept (the development server reloads a changed
# catalog without restarting).
_translated: dict[tuple, str] = {}
# At most this many translations, or static addresses, are kept.
KEPT = 5000


@receiver(setting_changed)
def _forget_kept(**kwargs) -> None:
    _translated.clear()
    _static_urls.clear()


# The layout's stylesheet and icon: their hashed names come from the static
# files' manifest, read once when the process starts, under the script prefix
# (STATIC_URL is relative); with DEBUG on, files are served as they change,
# so nothing is kept.
_static_urls: dict[tuple[str, str], str] = {}


def static_url(path: str) -> str:
    """Django's {% static %}."""
    if settings.DEBUG:
        return static(path)
    key = (path, get_script_prefix())
    url = _static_urls.get(key)
    if url is None:
        if len(_static_urls) >= KEPT:
            _static_urls.clear()
        url = _static_urls[key] = static(path)
    return url


def gettext(message: str) -> str:
    if settings.DEBUG:
        return translation.gettext(message)
    key = (translation.get_language(), message)
    try:
        return _translated[key]
    except KeyError:
        return _keep(key, translation.gettext(message))


def pgettext(context: str, message: str) -> str:
    if settings.DEBUG:
        return translation.pgettext(context, message)
    key = (translation.get_language(), context, message)
    try:
        return _translated[key]
    except KeyError:
        return _keep(key, translation.pgettext(context, message))


def _keep(key: tuple, text: str) -> str:
    if len(_translated) >= KEPT:
        _translated.clear()
    _translated[key] = text
    return text


# What the templates call for a translation. Jinja2's i18n extension (with
# "newstyle" gettext) wraps each function in two context-passing layers that
# ask whether the template escapes; these templates always do (autoescape),
# so these are those wrappers' contract in one call: the translation is
# markup, and each named value is escaped into it ("%" written as "%%").
# (A translation is trusted as markup, as Jinja2's i18n extension and Django
# trust it in {% blocktranslate %}: it comes from the project's catalog.)
def translate(message: str, /, **values) -> Markup:
    return Markup(gettext(message)) % values  # noqa: S704


def translate_in_context(context: str, message: str, /, **values) -> Markup:
    values.setdefault("context", context)
    return Markup(pgettext(context, message)) % values  # noqa: S704


def translate_plural(singular: str, plural: str, number: int, /, **values) -> Markup:
    values.setdefault("num", number)
    return Markup(translation.ngettext(singular, plural, number)) % values  # noqa: S704


def querystring(request, **changes) -> str:
    """Django's {% querystring %} (its own function): the request's query
    string with `changes` (a value of None removes its parameter)."""
    return defaulttags.querystring(None, request.GET, **changes)


def date(value, arg: str | None = None) -> str:
    """Django's `date` filter, in the active time zone as Django templates show
    a moment."""
    return defaultfilters.date(timezone.template_localtime(value), arg)


@pass_context
def layout_part(context, template_name: str, marks_current_page: bool = False):
    return helpers.layout_part(context, template_name, marks_current_page)


@pass_context
def language_links(context):
    return helpers.language_links(context)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on, whatever OPTIONS say
    options.update(
        undefined=ChainableUndefined,  # not DebugUndefined under DEBUG: pages read the same
        keep_trailing_newline=True,
    )
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # newstyle: {% trans %} passes its values to the function, which formats;
    # the functions themselves are replaced just below by direct ones.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(
        _=translate,
        gettext=translate,
        pgettext=translate_in_context,
        ngettext=translate_plural,
        url=url,
        static=static_url,
        querystring=querystring,
        get_current_language=translation.get_language,
        newsroom_name=helpers.newsroom_name,
        language_links=language_links,
        layout_part=layout_part,
        absolute_url=helpers.absolute_url,
        feed_url=helpers.feed_url,
        claim_review_script=helpers.claim_review_script,
        figure_chart=charts.figure_chart,
        rating_chart=charts.rating_chart,
    )
    env.filters.update(
        date=date,
        truncatechars=defaultfilters.truncatechars,
        capfirst=defaultfilters.capfirst,
        linebreaks=lambda value: defaultfilters.linebreaks_filter(value, autoescape=True),
        linebreaksbr=lambda value: defaultfilters.linebreaksbr(value, autoescape=True),
        markdown=helpers.markdown,
        machine_datetime=helpers.machine_datetime,
        by_stance=helpers.by_stance,
        figure_label=charts.figure_text,
    )
    return env

