"""Factories for the test suite. Workflow states are reached through the real
workflow functions (see `make_ready_claim` and friends), never by setting
`status` directly, so tests exercise the same paths as the newsroom."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import services
from claims.models import Claim, Claimant, ClaimantKind, Rating, Topic
from sources.models import Publisher, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher

    name = factory.Sequence(lambda n: f"Publisher {n}")
    slug = factory.Sequence(lambda n: f"publisher-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report {n}")
    slug = factory.Sequence(lambda n: f"report-{n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/report-{n}")
    publisher = factory.SubFactory(PublisherFactory)


class ClaimantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Claimant {n}")
    slug = factory.Sequence(lambda n: f"claimant-{n}")
    kind = ClaimantKind.PERSON


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


def rating(slug: str = "false") -> Rating:
    return Rating.objects.get(slug=slug)


def make_draft(by, *, text: str = "The border crisis is over.", **fields) -> Claim:
    fields.setdefault("claimant", ClaimantFactory())
    return services.claim_create(by=by, text=text, **fields)


def make_ready_claim(
    by, *, text: str = "The border crisis is over.", rating_slug="false", **fields
) -> Claim:
    """A draft with everything submission needs: verdict, appearance, two sources."""
    claim = make_draft(by, text=text, **fields)
    first, second = SourceFactory(), SourceFactory()
    services.appearance_create(claim=claim, by=by, source=first, quote="It is over.")
    services.evidence_create(
        claim=claim, by=by, source=first, excerpt="30 remain", stance="refutes"
    )
    services.evidence_create(
        claim=claim, by=by, source=second, excerpt="150 stranded", stance="refutes"
    )
    services.verdict_create(
        claim=claim,
        by=by,
        rating=rating(rating_slug),
        conclusion="People remain stranded.",
        explanation="Both reports count people still at the border.",
    )
    claim.refresh_from_db()
    return claim


def make_in_review(researcher, **fields) -> Claim:
    claim = make_ready_claim(researcher, **fields)
    return services.claim_submit(claim=claim, by=researcher)


def make_published(researcher, editor, **fields) -> Claim:
    claim = make_in_review(researcher, **fields)
    return services.claim_publish(claim=claim, by=editor)
