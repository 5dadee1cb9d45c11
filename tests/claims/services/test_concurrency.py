"""Twenty editors racing on the same claims: the workflow stays consistent.

Runs on PostgreSQL (real row locks and concurrent connections); CI runs it on
every `make test` with DATABASE_URL set, five times over.
"""

import random
import threading
from collections import Counter

import pytest
from django.db import connection

from claims import exceptions, services
from claims.models import ClaimStatus, Transition
from tests.factories import UserFactory, make_in_review, make_ready_claim

THREADS = 20
STEPS_PER_THREAD = 12

# (action, from, to): every edge the workflow allows.
EDGES = {
    ("create", "", "draft"),
    ("submit", "draft", "in_review"),
    ("request_changes", "in_review", "draft"),
    ("publish", "in_review", "published"),
    ("retract", "published", "retracted"),
}


def _step(action, claim, researcher, editors, rng):
    editor = rng.choice(editors)
    if action == "submit":
        services.claim_submit(claim=claim, by=researcher)
    elif action == "request_changes":
        services.claim_request_changes(claim=claim, by=editor, comment="Race")
    elif action == "publish":
        services.claim_publish(claim=claim, by=editor)
    else:
        services.claim_retract(claim=claim, by=editor, reason="Race")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("run", range(5))
def test_racing_transitions_keep_every_claim_consistent(run):
    researcher = UserFactory(username=f"r{run}", role="Researcher")
    editors = [UserFactory(username=f"e{run}-{i}", role="Editor") for i in range(3)]
    claims = [make_in_review(researcher, text=f"Race claim {i}") for i in range(4)]
    claims += [make_ready_claim(researcher, text=f"Race draft {i}") for i in range(2)]

    before_race = {c.pk: Transition.objects.filter(claim=c).count() for c in claims}
    successes: Counter = Counter()
    unexpected: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(seed):
        rng = random.Random(seed)
        try:
            start.wait()
            for _ in range(STEPS_PER_THREAD):
                claim = rng.choice(claims)
                action = rng.choice(["submit", "request_changes", "publish", "publish", "retract"])
                try:
                    _step(action, claim, researcher, editors, rng)
                except exceptions.WorkflowError:
                    continue
                with lock:
                    successes[(claim.pk, action)] += 1
        except BaseException as error:  # noqa: BLE001 - reported below
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(run * 100 + i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not unexpected, unexpected
    assert sum(successes.values()) > 0
    print(
        f"run {run}: {sum(successes.values())} steps succeeded:",
        sorted(Counter(a for _, a in successes.elements()).items()),
    )

    for claim in claims:
        claim.refresh_from_db()
        log = list(
            Transition.objects.filter(claim=claim)
            .order_by("at", "pk")
            .values_list("action", "from_status", "to_status")
        )
        # A path through the state machine, from creation to the current state.
        assert log[0] == ("create", "", "draft")
        for (_, _, before), (action, from_status, to_status) in zip(log, log[1:], strict=False):
            assert from_status == before, log
            assert (action, from_status, to_status) in EDGES, log
        assert log[-1][2] == claim.status
        # Exactly one log row per successful step, and nothing else.
        logged = Counter((claim.pk, action) for action, _, _ in log[before_race[claim.pk] :])
        expected = Counter({k: v for k, v in successes.items() if k[0] == claim.pk})
        assert logged == expected
        publishes = sum(1 for action, _, _ in log if action == "publish")
        if claim.status in {ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED}:
            assert publishes == 1
            assert claim.published_verdict is not None
            assert claim.verdicts.published().count() == 1
        else:
            assert publishes == 0 and claim.published_verdict is None
