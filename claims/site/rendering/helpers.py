"""What the reader site's templates call (claims.site.rendering.environment):
JSON-LD, Markdown, the layout's parts, language links, feeds."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info, override

from claims.claimreview.build import claim_review, to_script_json
from claims.markup import render_markdown
from claims.models import Claim, EvidenceStance
from claims.site.links import site_url
from config.reverse import reverse_slug


def claim_review_script(claim: Claim) -> SafeString:
    """The page's one ClaimReview block, or nothing when the claim has none
    (not public, or an outcome such as "Not checkable (opinion)")."""
    review = claim_review(claim, site_url=settings.SITE_URL)
    if review is None:
        return SafeString("")
    return format_html('<script type="application/ld+json">{}</script>', to_script_json(review))


def markdown(text: str) -> SafeString:
    return render_markdown(text)


def newsroom_name() -> str:
    return settings.NEWSROOM_NAME


def absolute_url(path: str) -> str:
    """`path` on the site's canonical address (SITE_URL)."""
    return site_url(path)


# The layout's parts that depend on nothing but the language, the kind of page
# and the project's settings and code: see layout_part().
_layout_parts: dict[tuple, SafeString] = {}
# Parts × languages × kinds of page is a few hundred; the script prefix comes
# from the request's environment, so the number kept is bounded all the same.
LAYOUT_PARTS_KEPT = 1000


@receiver(setting_changed)
def _forget_layout_parts(**kwargs) -> None:
    _layout_parts.clear()


def layout_part(context, template_name: str, marks_current_page: bool = False) -> SafeString:
    """A part of the layout (the header's links, the footer) that holds no
    data: its links, translations and the newsroom's name depend only on the
    active language, the URL configuration and the settings, none of which
    change while a process runs, and, for a part that marks the page the
    reader is on (`marks_current_page`), on the kind of page. So it is
    rendered once per process for each and reused on every page, the way a
    template is compiled once; a changed setting (in a test) forgets them all.
    With DEBUG on each page renders it afresh, so that an edited template
    shows at once.

    The part's context is only `current` (the page's URL name, or None) and
    `site_name`: it cannot see the page's data, so it cannot carry it over to
    another page or another reader.
    """
    current = None
    if marks_current_page:
        match = getattr(context.get("request"), "resolver_match", None)
        current = match.url_name if match is not None else None
    key = (template_name, get_language(), current, get_urlconf(), get_script_prefix())
    html = _layout_parts.get(key)
    if html is None:
        html = SafeString(
            render_to_string(
                template_name, {"current": current, "site_name": settings.NEWSROOM_NAME}
            ).strip()
        )
        if not settings.DEBUG:
            if len(_layout_parts) >= LAYOUT_PARTS_KEPT:  # a bound, whatever a request says
                _layout_parts.clear()
            _layout_parts[key] = html
    return html


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


def _this_page_in(request, code: str) -> str | None:
    """The address of the page `request` asked for, in language `code`, as
    `translate_url()` gives it, from the match the request was routed by
    (translate_url resolves the path again for every language). None when the
    request was not routed to a page."""
    match = request.resolver_match
    if match is None:
        return None
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(code):
        try:
            if not match.args and match.kwargs.keys() == {"slug"}:
                url = reverse_slug(name, match.kwargs["slug"])
            else:
                url = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return request.get_full_path()
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{iri_to_uri(query)}" if query else url


def language_links(context) -> list[LanguageLink]:
    """This page in every UI language, for the switcher and hreflang alternates.

    Plain links, not Django's set_language form: a form would set a CSRF
    cookie, and readers get no cookies.
    """
    request = context.get("request")
    current = get_language()
    # An error page (Django's 404 view passes `request_path`) links to each
    # language's home page rather than echoing an address that leads nowhere.
    routed = request is not None and context.get("request_path") is None
    links = []
    for code, _name in settings.LANGUAGES:
        url = _this_page_in(request, code) if routed else None
        if url is None:
            with override(code):
                url = reverse("claims:home")
        links.append(
            LanguageLink(code, get_language_info(code)["name_local"], url, code == current)
        )
    return links


def feed_url(kind: str, fmt: str = "rss", slug: str = "") -> str:
    """A feed in the active language: kind is latest, topic or claimant; fmt rss or atom."""
    kwargs = {"slug": slug} if slug else {}
    return reverse(f"feed_{kind}_{fmt}_{get_language()}", kwargs=kwargs)


def by_stance(evidence) -> list[tuple[str, str, list]]:
    """Evidence grouped by stance, in the order readers weigh it:
    supports, refutes, context. Empty groups are left out."""
    groups = []
    for stance in EvidenceStance:
        items = [item for item in evidence if item.stance == stance.value]
        if items:
            groups.append((stance.value, stance.label, items))
    return groups


def machine_datetime(value) -> str:
    """A moment for `<time datetime>`: local time to the second with its
    offset. HTML allows at most three digits of a second; readers need none."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
