import pytest
from rest_framework.test import APIRequestFactory

from claims.api.etags import entity_tag, expected_version
from claims.api.exceptions import PreconditionFailed, PreconditionRequired
from claims.models import Claim
from claims.site.caching import etag_matches as if_none_match


def request(**headers):
    return APIRequestFactory().patch("/", **headers)


def claim(pk=7, version=3):
    return Claim(pk=pk, version=version)


def test_object_tag_names_id_version_and_content():
    tag = entity_tag({"a": 1}, obj=claim())
    assert tag.startswith('"7.3.') and tag.endswith('"')
    assert tag != entity_tag({"a": 2}, obj=claim())
    assert tag != entity_tag({"a": 1}, obj=claim(version=4))
    assert entity_tag({"a": 1}) != entity_tag({"a": 1}, media_type="text/html")


def test_expected_version_reads_if_match():
    tag = entity_tag({"a": 1}, obj=claim(version=2))
    assert expected_version(request(HTTP_IF_MATCH=tag), claim()) == 2
    assert expected_version(request(HTTP_IF_MATCH=f"W/{tag}"), claim()) == 2
    current = entity_tag({"a": 1}, obj=claim(version=3))
    both = request(HTTP_IF_MATCH=f"{tag}, {current}")
    assert expected_version(both, claim()) == 3


@pytest.mark.parametrize("header", [None, "", "*"])
def test_missing_if_match_is_precondition_required(header):
    headers = {} if header is None else {"HTTP_IF_MATCH": header}
    with pytest.raises(PreconditionRequired):
        expected_version(request(**headers), claim())


@pytest.mark.parametrize("header", ['"7"', '"8.3.abc"', "garbage", '"abc"'])
def test_if_match_not_naming_this_object_is_precondition_failed(header):
    with pytest.raises(PreconditionFailed):
        expected_version(request(HTTP_IF_MATCH=header), claim())


def test_if_none_match_uses_weak_comparison():
    tag = entity_tag({"a": 1})
    assert if_none_match(request(HTTP_IF_NONE_MATCH=f'"x", W/{tag}'), tag)
    assert if_none_match(request(HTTP_IF_NONE_MATCH="*"), tag)
    assert not if_none_match(request(HTTP_IF_NONE_MATCH='"x"'), tag)
    assert not if_none_match(request(), tag)
