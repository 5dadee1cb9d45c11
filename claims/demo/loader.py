"""Loads the demo newsroom (`newsroom.json`, beside this file) through the services.

The data comes only from the two seed reports in `seeds/`: every claimant,
publisher, source, quote, excerpt and figure can be found in them
(tests/claims/demo/test_demo.py checks the quotes and excerpts word for word).
The reports carry no URLs and almost no dates, so the demo invents neither:
sources have no URL (readers check the stored text on the source page instead)
and only dates the reports state are filled in (April 26 and May 22; the year,
2023, comes from the seeds' README).

Claims are taken to their state through the real services, so the demo shows
every state, a request for changes, a correction and a retraction exactly as
the newsroom would produce them: a researcher writes, one editor reviews and
publishes, a second editor publishes the first editor's correction.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from claims import services
from claims.models import Claim, Claimant, Rating, Topic
from sources.models import Publisher, Source, SourceKind

DEMO_DIR = Path(__file__).resolve().parent
SEEDS_DIR = DEMO_DIR / "seeds"
DATA_FILE = DEMO_DIR / "newsroom.json"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    group: str | None
    superuser: bool = False


@cache
def demo_data() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def demo_users() -> list[DemoUser]:
    return [DemoUser(**spec) for spec in demo_data()["users"]]


def seed_text(name: str) -> str:
    return (SEEDS_DIR / f"{name}.txt").read_text(encoding="utf-8")


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class DemoNewsroom:
    """Loads the demo newsroom; running it again changes nothing."""

    def __init__(self, *, with_users: bool, stdout=None):
        self.with_users = with_users
        self.stdout = stdout
        self.data = demo_data()

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def load(self) -> dict[str, int]:
        self.users = self.load_users()
        self.topics = {
            t["slug"]: Topic.objects.get_or_create(
                slug=t["slug"], defaults={"name": t["name"], "name_es": t["name_es"]}
            )[0]
            for t in self.data["topics"]
        }
        self.claimants = {
            c["slug"]: Claimant.objects.get_or_create(
                slug=c["slug"],
                defaults={k: c[k] for k in ("kind", "name", "role", "country")},
            )[0]
            for c in self.data["claimants"]
        }
        publishers = {
            p["slug"]: Publisher.objects.get_or_create(
                slug=p["slug"], defaults={"name": p["name"], "country": p["country"]}
            )[0]
            for p in self.data["publishers"]
        }
        self.sources = {
            s["slug"]: Source.objects.get_or_create(
                slug=s["slug"],
                defaults={
                    "title": s["title"],
                    "publisher": publishers[s["publisher"]],
                    "authors": s["authors"],
                    "kind": SourceKind.NEWS_REPORT,
                    "language": "en",
                    "snapshot": seed_text(s["slug"]),
                    "notes": s["notes"],
                },
            )[0]
            for s in self.data["sources"]
        }
        specs = self.data["claims"]
        created = 0
        for spec in specs:
            if Claim.objects.filter(slug=spec["slug"]).exists():
                continue
            self.build_claim(spec)
            created += 1
        self.log(f"Demo newsroom: {created} claims created, {len(specs) - created} present.")
        return {"claims_created": created}

    def load_users(self) -> dict[str, Any]:
        """Demo accounts. Without `with_users` they exist only as authors of the
        demo's history, with no usable password, so no well-known login is created."""
        User = get_user_model()
        users = {}
        for spec in demo_users():
            user, created = User.objects.get_or_create(
                username=spec.username,
                defaults={"is_staff": True, "is_superuser": spec.superuser},
            )
            if created or (self.with_users and not user.has_usable_password()):
                if self.with_users:
                    user.set_password(spec.password)
                else:
                    user.set_unusable_password()
                user.save()
            if spec.group:
                user.groups.add(Group.objects.get(name=spec.group))
            users[spec.username] = user
        return users

    def build_claim(self, spec: dict[str, Any]) -> Claim:
        researcher = self.users["researcher"]
        editor, editor2 = self.users["editor"], self.users["editor2"]
        claim = services.claim_create(
            by=researcher,
            text=spec["text"],
            slug=spec["slug"],
            claimant=self.claimants[spec["claimant"]] if spec.get("claimant") else None,
            language="en",
            first_made_on=_date(spec.get("first_made_on")),
            context=spec.get("context", ""),
            topics=[self.topics[t] for t in spec["topics"]],
            assigned_to=researcher,
            true_as_of=_date(spec.get("true_as_of")),
            parent=Claim.objects.get(slug=spec["parent"]) if spec.get("parent") else None,
        )
        for appearance in spec["appearances"]:
            services.appearance_create(
                claim=claim,
                by=researcher,
                source=self.sources[appearance["source"]],
                quote=appearance["quote"],
                appeared_on=_date(appearance["date"]),
                speaker=self.claimants[appearance["speaker"]] if appearance["speaker"] else None,
            )
        for item in spec["evidence"]:
            self.add_evidence(claim, researcher, item)
        if verdict := spec.get("verdict"):
            services.verdict_create(
                claim=claim,
                by=researcher,
                rating=Rating.objects.get(slug=verdict["rating"]),
                conclusion=verdict["conclusion"],
                explanation=verdict["explanation"],
            )
        state = spec["state"]
        if state == "draft":
            return claim
        services.claim_submit(claim=claim, by=researcher)
        if state == "changes_requested":
            services.claim_request_changes(claim=claim, by=editor, comment=spec["comment"])
            return claim
        if state == "in_review":
            return claim
        services.claim_publish(claim=claim, by=editor)
        if state == "retracted":
            services.claim_retract(claim=claim, by=editor, reason=spec["comment"])
        if state == "corrected":
            for item in spec.get("evidence_after_publication", []):
                self.add_evidence(claim, researcher, item)
            fix = spec["correction"]
            correction = services.correction_propose(
                claim=claim,
                by=editor,
                kind=fix["kind"],
                note=fix["note"],
                rating=Rating.objects.get(slug=fix["rating"]),
                conclusion=fix["conclusion"],
                explanation=fix["explanation"],
            )
            services.correction_publish(correction=correction, by=editor2)
        return claim

    def add_evidence(self, claim: Claim, by, item: dict[str, Any]) -> None:
        figure = {}
        if spec := item.get("figure"):
            figure = {
                "figure_quantity": spec["quantity"],
                "figure_qualifier": spec["qualifier"],
                "figure_value": Decimal(spec["value"]),
                "figure_unit": spec["unit"],
                "figure_as_of": _date(spec["as_of"]),
            }
        services.evidence_create(
            claim=claim,
            by=by,
            source=self.sources[item["source"]],
            excerpt=item["excerpt"],
            stance=item["stance"],
            note=item.get("note", ""),
            **figure,
        )
