import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def anon():
    return APIClient()


def client_for(user) -> APIClient:
    """A client authenticating with the user's DRF token, as a newsroom tool would."""
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def as_researcher(researcher):
    return client_for(researcher)


@pytest.fixture
def as_editor(editor):
    return client_for(editor)


@pytest.fixture
def as_editor2(editor2):
    return client_for(editor2)


SECRET = "SECRET"


@pytest.fixture
def every_state(researcher, editor, editor2):
    """A newsroom with a claim in every state, and unpublished work on public
    ones. Every text readers must not see contains SECRET."""
    from types import SimpleNamespace

    from claims import services
    from claims.models import Claim
    from tests.factories import (
        ClaimantFactory,
        SourceFactory,
        TopicFactory,
        make_draft,
        make_in_review,
        make_published,
        make_ready_claim,
        rating,
    )

    public_topic = TopicFactory(slug="border", name="Border")
    secret_topic = TopicFactory(slug="secret-topic", name="SECRET topic")
    secret_claimant = ClaimantFactory(slug="secret-claimant", name="SECRET claimant")

    published = make_published(researcher, editor, text="Public claim about the border.")
    published.topics.add(public_topic)
    # Work added after publication stays private until a correction is published.
    secret_source = SourceFactory(title="SECRET source", slug="secret-source")
    services.appearance_create(
        claim=published, by=researcher, source=secret_source, quote="SECRET pending quote"
    )
    services.evidence_create(
        claim=published,
        by=researcher,
        source=secret_source,
        excerpt="SECRET pending evidence",
        stance="supports",
    )
    services.correction_propose(
        claim=published,
        by=editor,
        kind="correction",
        note="SECRET pending correction note",
        rating=rating("mostly-false"),
        conclusion="SECRET pending verdict conclusion",
    )

    opinion = make_published(
        researcher, editor, text="Public opinion claim.", rating_slug="not-checkable"
    )
    draft = make_ready_claim(
        researcher, text="SECRET draft claim", claimant=secret_claimant, topics=[secret_topic]
    )
    in_review = make_in_review(researcher, text="SECRET claim in review")
    child = make_published(researcher, editor, text="Public sub-claim.", parent=draft)

    retracted = make_published(researcher, editor, text="Retracted claim.")
    services.evidence_create(
        claim=retracted,
        by=researcher,
        source=SourceFactory(),
        excerpt="SECRET evidence added to a claim later retracted",
        stance="refutes",
    )
    services.claim_retract(claim=retracted, by=editor2, reason="We got it wrong.")

    merged = make_published(researcher, editor, text="SECRET merged duplicate")
    Claim.objects.filter(pk=merged.pk).update(merged_into=published)
    merged_draft = make_draft(researcher, text="SECRET merged draft")
    Claim.objects.filter(pk=merged_draft.pk).update(merged_into=published)

    return SimpleNamespace(
        published=published,
        opinion=opinion,
        child=child,
        draft=draft,
        in_review=in_review,
        retracted=retracted,
        merged=merged,
        merged_draft=merged_draft,
        public_ids={published.pk, opinion.pk, child.pk},
        secret_claimant=secret_claimant,
        secret_topic=secret_topic,
        secret_source=secret_source,
        public_topic=public_topic,
    )
