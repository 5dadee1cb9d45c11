"""config.reverse.reverse_slug() gives the string reverse() gives, for any
slug, language and script prefix, without walking the resolver each time."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from config import reverse as fast
from config.reverse import reverse_slug

OBJECT_PAGES = ["claims:detail", "claims:claimant", "claims:topic", "sources:detail"]


@pytest.fixture(autouse=True)
def fresh_patterns():
    fast._forget_patterns()
    yield
    set_script_prefix("/")
    fast._forget_patterns()


@settings(max_examples=200, deadline=None)
@given(
    viewname=st.sampled_from(OBJECT_PAGES),
    slug=st.from_regex(r"[-a-zA-Z0-9_]+", fullmatch=True),
    language=st.sampled_from(["en", "es"]),
    prefix=st.sampled_from(["/", "/veraz/", "/news room/"]),
)
def test_the_same_address_as_reverse(viewname, slug, language, prefix):
    set_script_prefix(prefix)
    with override(language):
        assert reverse_slug(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


def test_each_pattern_is_reversed_once_per_language_and_prefix(monkeypatch):
    calls = []
    original = fast.reverse

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(fast, "reverse", counting)
    for language in ["en", "es", "en"]:
        with override(language):
            for slug in ["a", "b-2", "c_3"]:
                reverse_slug("claims:detail", slug)
    assert len(calls) == 2
    set_script_prefix("/veraz/")
    with override("en"):
        assert reverse_slug("claims:detail", "a") == "/veraz/claims/a/"
    assert len(calls) == 3


def outcome(call, *args):
    try:
        return "address", call(*args)
    except NoReverseMatch:
        return "refused", None


@settings(max_examples=150, deadline=None)
@given(
    slug=st.one_of(st.text(max_size=12), st.integers(), st.none()),
    viewname=st.sampled_from(OBJECT_PAGES),
)
def test_any_other_value_gets_what_reverse_gives_it(slug, viewname):
    assert outcome(reverse_slug, viewname, slug) == outcome(
        lambda name, value: reverse(name, kwargs={"slug": value}), viewname, slug
    )


@pytest.mark.parametrize("slug", ["", "a b", "a/b", "ñandú", "a?b"])
def test_a_value_the_pattern_refuses_is_refused(slug):
    with pytest.raises(NoReverseMatch):
        reverse_slug("claims:detail", slug)


def test_a_changed_url_configuration_is_followed():
    with override("en"):
        before = reverse_slug("claims:detail", "a")
        with override_settings(ROOT_URLCONF="tests.urls_moved_claims"):
            assert reverse_slug("claims:detail", "a") == "/elsewhere/a/"
        assert reverse_slug("claims:detail", "a") == before == "/claims/a/"


def test_a_pattern_that_refuses_the_placeholder_is_reversed_as_always():
    with override("en"), override_settings(ROOT_URLCONF="tests.urls_moved_claims"):
        assert reverse_slug("claims:topic", "abc") == "/short/abc/"
        with pytest.raises(NoReverseMatch):
            reverse_slug("claims:topic", "toolong")


def test_a_narrower_pattern_that_takes_the_placeholder_is_still_reversed_as_always():
    """`[-a-z]{1,40}` takes the placeholder but not capitals: joining the slug
    in would give an address that pattern never serves."""
    with override("en"), override_settings(ROOT_URLCONF="tests.urls_moved_claims"):
        assert reverse_slug("claims:claimant", "pat-two") == "/narrow/pat-two/"
        for refused in ["Pat", "x" * 41]:
            with pytest.raises(NoReverseMatch):
                reverse_slug("claims:claimant", refused)


FIXED_PAGES = ["claims:home", "claims:list", "claims:methodology", "claims:corrections"]


@pytest.mark.parametrize("viewname", FIXED_PAGES)
@pytest.mark.parametrize("prefix", ["/", "/veraz/", "/news room/"])
def test_a_route_without_arguments_is_the_address_reverse_gives(viewname, prefix):
    set_script_prefix(prefix)
    for language in ["en", "es", "en"]:
        with override(language):
            assert fast.reverse_fixed(viewname) == reverse(viewname)


def test_a_route_without_arguments_is_reversed_once_per_language_and_follows_the_urlconf(
    monkeypatch,
):
    calls = []
    original = fast.reverse
    monkeypatch.setattr(fast, "reverse", lambda *a, **k: calls.append(a) or original(*a, **k))
    for language in ["en", "es", "en", "es"]:
        with override(language):
            fast.reverse_fixed("claims:methodology")
    assert len(calls) == 2
    moved = override_settings(ROOT_URLCONF="tests.urls_moved_claims")  # no methodology page
    with override("en"), moved, pytest.raises(NoReverseMatch):
        fast.reverse_fixed("claims:methodology")
    with override("en"):
        assert fast.reverse_fixed("claims:methodology") == "/methodology/"
