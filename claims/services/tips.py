"""The tipline: claims readers send, the instant answer from the archive, the
newsroom's triage, and the emails that close the loop.

Readers' tips are written only here. Every answer a reader gets comes from
`similar_claims` over `Claim.objects.public()`, so a tip can never reveal
unpublished work. Email addresses and network-address hashes are personal
data: `tips_erase_expired` erases them after `TIP_RETENTION_DAYS`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from claims.exceptions import WorkflowError
from claims.models import Claim, Tip, TipChannel, TipGroup, TipStatus
from claims.policy import User
from claims.search import folded_words, stem
from claims.search.matching import SimilarClaim, similar_claims
from claims.selectors import public_claims
from claims.services.base import require_perm, service
from claims.services.content import claim_create

logger = logging.getLogger(__name__)

TIP_LANGUAGES = ("en", "es")
# How far back a new tip looks for earlier tips asking the same thing.
GROUPING_WINDOW = timedelta(days=30)
GROUPING_CANDIDATES = 500
ANSWER_LIMIT = 5


class TipRefused(WorkflowError):
    """A tip the tipline will not take (too many from one address)."""


@dataclass(frozen=True)
class TipReceipt:
    tip: Tip
    matches: list[SimilarClaim]


# --- Signed links -----------------------------------------------------------------------

LINK_PURPOSES = ("answer", "unsubscribe", "delete")


def tip_link_token(tip: Tip, purpose: str) -> str:
    """A token naming `tip` for one purpose; it cannot be guessed or reused for another."""
    if purpose not in LINK_PURPOSES:
        raise ValueError(f"Unknown tip link purpose: {purpose!r}")
    return signing.dumps(tip.pk, salt=f"veraz.tips.{purpose}", compress=True)


def tip_from_token(token: str, purpose: str) -> Tip | None:
    try:
        pk = signing.loads(token, salt=f"veraz.tips.{purpose}")
    except signing.BadSignature:
        return None
    return Tip.objects.filter(pk=pk).select_related("group").first()


def tip_link(tip: Tip, purpose: str) -> str:
    """The absolute address of a tip's page, in the tip's language."""
    with translation.override(tip.language):
        path = reverse(f"claims:tip-{purpose}", kwargs={"token": tip_link_token(tip, purpose)})
    return settings.SITE_URL + path


# --- Receiving a tip --------------------------------------------------------------------


def address_hash(address: str) -> str:
    """A keyed hash of the sender's network address: enough to count and to
    spot a flood, not enough to recover the address without the secret key."""
    return salted_hmac("veraz.tips.address", address).hexdigest()[:32]


def _take_rate_slot(address: str) -> None:
    key = f"veraz:tips:rate:{address_hash(address)}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    if count > settings.TIP_RATE_PER_HOUR:
        raise TipRefused(
            _(
                "You have sent several claims in the last hour. Thank you! "
                "Please wait a while before sending another."
            ),
            code="rate_limited",
        )


def _content_stems(text: str) -> set[str]:
    # Language-neutral on purpose: a reader's language is the page's, not
    # necessarily the claim's, and both stemmers leave short words alone.
    return {stem(stem(word, "english"), "spanish") for word in folded_words(text) if len(word) > 2}


def _similar_tips_group(text: str) -> TipGroup | None:
    """The group of the earlier tip that shares most of its words with `text`."""
    words = _content_stems(text)
    if not words:
        return None
    since = timezone.now() - GROUPING_WINDOW
    best, best_score = None, settings.TIP_GROUP_SIMILARITY
    recent = (
        Tip.objects.filter(received_at__gte=since)
        .exclude(status=TipStatus.SPAM)
        .only("text", "group_id")
        .order_by("-received_at")[:GROUPING_CANDIDATES]
    )
    for earlier in recent:
        other = _content_stems(earlier.text)
        if not other:
            continue
        score = len(words & other) / len(words | other)
        if score >= best_score:
            best, best_score = earlier.group_id, score
    return TipGroup.objects.filter(pk=best).first() if best else None


def _group_for(text: str, matches: list[SimilarClaim]) -> TipGroup:
    if matches:
        claim = matches[0].claim
        return TipGroup.objects.get_or_create(claim=claim, defaults={"label": claim.text[:500]})[0]
    return _similar_tips_group(text) or TipGroup.objects.create(label=text[:500])


@service(public=False)
def tip_submit(
    *,
    text: str,
    seen_at: str = "",
    email: str = "",
    language: str = "en",
    channel: str = TipChannel.WEB,
    address: str | None = None,
) -> TipReceipt:
    """Take a reader's tip and answer it from the published archive.

    `address` is the sender's network address for the per-address rate limit
    (web form); partner channels, which speak for many readers, pass None and
    are limited by the API's own throttles. Refused: nothing is written.
    """
    if address is not None:
        _take_rate_slot(address)
    text = (text or "").strip()
    if not text:
        raise TipRefused(_("Tell us the claim you want us to check."), code="empty")
    if len(text) > settings.TIP_TEXT_MAX_CHARS:
        raise TipRefused(_("That message is too long."), code="too_long")
    language = language if language in TIP_LANGUAGES else "en"
    matches = similar_claims(
        text, queryset=Claim.objects.public(), limit=ANSWER_LIMIT, published_quotes_only=True
    )
    now = timezone.now()
    group = _group_for(text, matches)
    TipGroup.objects.filter(pk=group.pk).update(last_asked_at=now)
    answers = [m.claim for m in matches]
    if not answers and group.claim_id:
        # Worded unlike the claim but like the tips it was made from: the
        # group's claim answers it once it is public, and until then the tip
        # waits on it (and its sender hears when it is published).
        answers = list(Claim.objects.public().filter(pk=group.claim_id))
    if answers:
        status = TipStatus.ANSWERED
    else:
        status = TipStatus.CLAIMED if group.claim_id else TipStatus.NEW
    tip = Tip.objects.create(
        text=text,
        seen_at=(seen_at or "").strip()[:500],
        email=(email or "").strip(),
        language=language,
        channel=channel,
        address_hash=address_hash(address) if address else "",
        status=status,
        group=group,
        received_at=now,
    )
    tip.answers.set(answers)
    if tip.email:
        transaction.on_commit(lambda: tip_send_answer(tip=tip))
    return TipReceipt(tip=tip, matches=matches)


def tip_public_answers(tip: Tip) -> list[Claim]:
    """The fact-checks offered for `tip` that are still public (one may have
    been retracted or merged since)."""
    return list(public_claims().filter(pk__in=tip.answers.values("pk")))


# --- Email ---------------------------------------------------------------------------


def _send(tip: Tip, *, subject: str, template: str, context: dict) -> bool:
    with translation.override(tip.language):
        unsubscribe = tip_link(tip, "unsubscribe")
        context = {
            **context,
            "tip": tip,
            "newsroom": settings.NEWSROOM_NAME,
            "unsubscribe_url": unsubscribe,
            "delete_url": tip_link(tip, "delete"),
            "privacy_url": settings.SITE_URL + reverse("claims:privacy"),
            "retention_days": settings.TIP_RETENTION_DAYS,
        }
        message = EmailMessage(
            subject=str(subject),
            body=render_to_string(template, context),
            to=[tip.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>"},
        )
    try:
        message.send()
    except Exception:
        # A mail server outage must not lose the tip or the publication.
        logger.exception("Could not email tip %s", tip.pk)
        return False
    return True


def _fact_check_links(claims: Iterable[Claim], language: str) -> list[dict]:
    with translation.override(language):
        return [
            {"text": claim.text, "url": settings.SITE_URL + claim.get_absolute_url()}
            for claim in claims
        ]


@service(atomic=False, public=False)
def tip_send_answer(*, tip: Tip) -> bool:
    """Email the reader the same answer the page showed them."""
    tip = Tip.objects.get(pk=tip.pk)
    if not tip.email or tip.answer_sent_at:
        return False
    answers = tip_public_answers(tip)
    with translation.override(tip.language):
        subject = _("Your claim reached %(newsroom)s") % {"newsroom": settings.NEWSROOM_NAME}
    sent = _send(
        tip,
        subject=subject,
        template="claims/tips/email/answer.txt",
        context={"answers": _fact_check_links(answers, tip.language)},
    )
    if sent:
        Tip.objects.filter(pk=tip.pk).update(answer_sent_at=timezone.now())
    return sent


def tipsters_notify_after_publish(*, claim: Claim) -> None:
    """Called by `claim_publish`: once the publication commits, tell the readers
    who sent this claim. A failure to email never undoes the publication."""
    transaction.on_commit(lambda: tipsters_notify(claim=claim))


@service(atomic=False, public=False)
def tipsters_notify(*, claim: Claim) -> int:
    """Email each tipster of `claim` who left an address, once, in their language.
    Returns how many were emailed. Safe to call again (a task retry)."""
    if not Claim.objects.public().filter(pk=claim.pk).exists():
        return 0
    waiting = (
        Tip.objects.filter(group__claim=claim, notified_at__isnull=True)
        .exclude(email="")
        .exclude(status=TipStatus.SPAM)
    )
    sent = 0
    for tip in waiting:
        # Claim the tip first, so two workers never email the same reader twice.
        if not Tip.objects.filter(pk=tip.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        ):
            continue
        with translation.override(tip.language):
            subject = _("We checked the claim you sent us")
        if _send(
            tip,
            subject=subject,
            template="claims/tips/email/published.txt",
            context={"fact_check": _fact_check_links([claim], tip.language)[0]},
        ):
            sent += 1
        else:
            Tip.objects.filter(pk=tip.pk).update(notified_at=None)
    return sent


# --- The reader's own choices ---------------------------------------------------------


@service(public=False)
def tip_unsubscribe(*, tip: Tip) -> int:
    """Erase this reader's address from every tip that carries it: no message
    can be sent to an address we no longer have."""
    if not tip.email:
        return 0
    return Tip.objects.filter(email__iexact=tip.email).update(email="")


@service(public=False)
def tip_delete(*, tip: Tip) -> None:
    """Delete the tip at its sender's request: text, address, everything."""
    group = tip.group
    tip.delete()
    if group.claim_id is None and not group.tips.exists():
        group.delete()


@service(atomic=False, public=False)
def tips_erase_expired(*, now: datetime | None = None) -> int:
    """Erase email addresses and network-address hashes older than
    `TIP_RETENTION_DAYS`. Run daily (`manage.py erase_expired_tips`, or a
    periodic task calling this). Returns how many tips were erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TIP_RETENTION_DAYS)
    return (
        Tip.objects.filter(received_at__lt=cutoff, personal_data_erased_at__isnull=True)
        .exclude(email="", address_hash="")
        .update(email="", address_hash="", personal_data_erased_at=now)
    )


# --- Triage ---------------------------------------------------------------------------


def _require_triage(by: User) -> None:
    require_perm(by, "claims.change_tip", _("You do not have permission to triage tips."))


@service(public=False)
def tip_to_claim(*, tips: Iterable[Tip], by: User) -> Claim:
    """Turn tips (one, a group, or a hand-picked set) into one draft claim.

    The first tip's words become the draft's wording for the researcher to
    rewrite; every reader's text goes in the context. The tips form one group
    pointing at the new claim, so more tips asking the same thing join it and
    every tipster hears when it is published.
    """
    _require_triage(by)
    tips = list(
        Tip.objects.select_for_update()
        .filter(pk__in=[t.pk for t in tips])
        .exclude(status=TipStatus.SPAM)
        .order_by("received_at")
    )
    if not tips:
        raise TipRefused(_("Choose at least one tip that is not spam."), code="empty")
    lead = tips[0]
    context = (
        _("Sent by readers:")
        + "\n"
        + "\n".join(
            f"- {tip.text}" + (f" ({_('seen at')}: {tip.seen_at})" if tip.seen_at else "")
            for tip in tips
        )
    )
    claim = claim_create(
        by=by,
        text=lead.text.splitlines()[0][:500],
        language=lead.language,
        context=context,
    )
    picked = [tip.pk for tip in tips]
    whole_group = (
        len({tip.group_id for tip in tips}) == 1
        and lead.group.claim_id is None
        and not Tip.objects.filter(group=lead.group_id).exclude(pk__in=picked).exists()
    )
    if whole_group:
        group = lead.group
        group.claim = claim
        group.save(update_fields=["claim"])
    else:
        group = TipGroup.objects.create(
            claim=claim, label=claim.text, last_asked_at=max(t.received_at for t in tips)
        )
    Tip.objects.filter(pk__in=picked).update(group=group, status=TipStatus.CLAIMED, triaged_by=by)
    TipGroup.objects.filter(claim__isnull=True, tips__isnull=True).delete()
    return claim


@service(public=False)
def tips_set_status(*, tips: Iterable[Tip], status: str, by: User) -> int:
    """Mark tips spam, not checkable, or back to new. Turning into a claim is
    `tip_to_claim`'s job; "answered" is set when the archive answered."""
    _require_triage(by)
    if status not in (TipStatus.SPAM, TipStatus.NOT_CHECKABLE, TipStatus.NEW):
        raise TipRefused(_("Tips cannot be marked that way by hand."), code="status")
    return Tip.objects.filter(pk__in=[t.pk for t in tips]).update(status=status, triaged_by=by)
