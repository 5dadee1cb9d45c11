"""The demo newsroom, built only from the two seed reports in `claims/demo_seeds/`.

Every claimant, publisher, source, quote, excerpt and figure below can be
found in those texts (tests/claims/test_demo.py checks the quotes and excerpts
word for word). The reports carry no URLs and almost no dates, so the demo
invents neither: sources have no URL (readers check the stored text on the
source page instead) and only dates the reports state are filled in
(April 26 and May 22; the year, 2023, comes from the seeds' README).

The claims are driven through the real workflow functions, so the demo shows
every state, a request for changes, a correction and a retraction exactly as
the newsroom would produce them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from claims import services, workflow
from claims.models import Claim, Claimant, ClaimantKind, CorrectionKind, Rating, Topic
from sources.models import Publisher, Source, SourceKind

SEEDS_DIR = Path(__file__).resolve().parent / "demo_seeds"
BIOBIO = "biobiochile-border-patrols"
CNN = "cnn-espanol-forced-crossing"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    group: str | None
    superuser: bool = False


DEMO_USERS = [
    DemoUser("researcher", "researcher-demo-pass", "Researcher"),
    DemoUser("editor", "editor-demo-pass", "Editor"),
    DemoUser("editor2", "editor2-demo-pass", "Editor"),
    DemoUser("admin", "admin-demo-pass", None, superuser=True),
]

TOPICS = [
    ("migration", "Migration", "Migración"),
    ("border-security", "Border security", "Seguridad fronteriza"),
    ("crime", "Crime", "Delincuencia"),
    ("humanitarian-situation", "Humanitarian situation", "Situación humanitaria"),
]

CLAIMANTS = [
    ("dina-boluarte", ClaimantKind.PERSON, "Dina Boluarte", "President of Peru", "PE"),
    ("ignacio-higueras", ClaimantKind.PERSON, "Ignacio Higueras", "Peru's Foreign Minister", "PE"),
    (
        "gloria-de-la-fuente",
        ClaimantKind.PERSON,
        "Gloria de la Fuente",
        "Chile's Foreign Minister (as named by Biobiochile)",
        "CL",
    ),
    (
        "alberto-van-klaveren",
        ClaimantKind.PERSON,
        "Alberto Van Klaveren",
        "Chile's Foreign Minister (as named by CNN en Español)",
        "CL",
    ),
    (
        "peru-interior-ministry",
        ClaimantKind.ORGANIZATION,
        "Peru's Ministry of the Interior",
        "Government ministry responsible for the Peruvian National Police",
        "PE",
    ),
    (
        "iom",
        ClaimantKind.ORGANIZATION,
        "International Organization for Migration (IOM)",
        "UN migration agency; spokesman in Peru: Matteo Mandrile",
        "",
    ),
    ("tv-peru", ClaimantKind.ORGANIZATION, "TV Perú", "Peruvian state television", "PE"),
]

PUBLISHERS = [
    ("biobiochile", "Biobiochile", "CL"),
    ("cnn-en-espanol", "CNN en Español", ""),
]

SOURCES = {
    BIOBIO: {
        "title": "Peru deploys police patrols on the border with Chile (Biobiochile, in English)",
        "publisher": "biobiochile",
        "authors": "",
        "notes": "Republished in English. The seed text gives no URL or publication date; "
        "it reports events up to May 22, 2023.",
    },
    CNN: {
        "title": "Migrants try to forcefully cross the border between Peru and Chile, "
        "reports Peruvian state television",
        "publisher": "cnn-en-espanol",
        "authors": "Jimena de la Quintana, Cristopher Ulloa",
        "notes": "The seed text gives no URL or publication date; it reports the IOM "
        "figure as of April 26, 2023.",
    },
}

POLICE = "Police officers sent to the Peru–Chile border"
STRANDED = "People stranded at the Peru–Chile border"
MAY_22 = datetime.date(2023, 5, 22)
APRIL_26 = datetime.date(2023, 4, 26)


@dataclass
class DemoEvidence:
    source: str
    excerpt: str
    stance: str
    note: str = ""
    figure: tuple | None = None  # (quantity, qualifier, value, unit, as_of)


@dataclass
class DemoClaim:
    slug: str
    text: str
    claimant: str | None
    topics: list[str]
    appearances: list[tuple]  # (source, quote, date, speaker slug)
    evidence: list[DemoEvidence]
    verdict: tuple | None  # (rating slug, conclusion, explanation)
    # draft | changes_requested | in_review | published | corrected | retracted
    state: str
    context: str = ""
    first_made_on: datetime.date | None = None
    true_as_of: datetime.date | None = None
    parent: str | None = None
    comment: str = ""
    correction: dict = field(default_factory=dict)
    evidence_after_publication: list[DemoEvidence] = field(default_factory=list)


BOLUARTE_QUOTE = (
    "At that time, 800,000 Venezuelans entered, as many Haitians, and they are the ones who, "
    "unfortunately, are committing these criminal acts."
)
MINISTERS_QUOTE = (
    "On May 22, Peru’s Foreign Minister Ignacio Higueras and Chile’s Foreign Minister Gloria "
    "de la Fuente affirmed in Lima that thanks to the efforts of both countries, the migrant "
    "crisis has been overcome."
)
ABOUT_30 = (
    "Peru’s Ministry of Foreign Affairs announced on Wednesday that about 30 foreigners remain "
    "in the region, mainly Haitians, but also Venezuelans and Colombians."
)
IOM_150 = (
    "as of April 26, 150 refugees and migrants remained stranded on the border between Chile "
    "and Peru"
)
AMNESTY_300 = (
    "Amnesty International (AI) said at least 300 people remained at the border between the "
    "two countries"
)
RETURN_FLIGHTS = (
    "The situation began to change in early May, when more than 100 Venezuelans returned to "
    "their homeland on special flights."
)

DEMO_CLAIMS = [
    DemoClaim(
        slug="migrants-committing-crimes-peru",
        text="Venezuelan and Haitian migrants who entered Peru are the ones committing "
        "the criminal acts behind the rise in crime.",
        claimant="dina-boluarte",
        topics=["migration", "crime"],
        context="Said when declaring a state of emergency on Peru's borders with Ecuador, "
        "Colombia, Brazil and Chile.",
        appearances=[(CNN, BOLUARTE_QUOTE, None, None)],
        evidence=[
            DemoEvidence(
                CNN,
                "Boluarte did not present evidence on the alleged link between migrants and "
                "the increase in crime in his country.",
                "context",
                "The report that carries the statement says no evidence was offered.",
            ),
            DemoEvidence(
                CNN,
                "CNN has asked the Peruvian government for statistics that reflect this "
                "relationship, but so far we have not received a response.",
                "context",
                "The government did not supply statistics when asked.",
            ),
            DemoEvidence(
                BIOBIO,
                "Last April, hundreds of undocumented migrants decided to leave Chile, most "
                "of them Venezuelan and Haitian nationals.",
                "context",
                "Who the migrants at the southern border were; says nothing about crime.",
            ),
        ],
        verdict=(
            "unsupported",
            "President Boluarte presented no evidence linking migrants to the rise in crime, "
            "and the government gave CNN no statistics when asked.",
            "The statement blames Venezuelan and Haitian migrants for “these criminal acts”. "
            "CNN en Español, which reported it, notes that Boluarte **did not present "
            "evidence** on the alleged link between migrants and the increase in crime, and "
            "that the Peruvian government had not answered its request for statistics.\n\n"
            "Without data on who commits crimes in Peru, the claim cannot be shown to be "
            "true; we rate it *Unsupported*. We will update this check if the government "
            "publishes the statistics.",
        ),
        state="published",
    ),
    DemoClaim(
        slug="800000-venezuelans-entered-under-kuczynski",
        text="800,000 Venezuelans entered Peru under Pedro Pablo Kuczynski's government.",
        claimant="dina-boluarte",
        topics=["migration"],
        context="Part of the same statement as the claim about migrants and crime. The two "
        "reports give no independent figure: migration statistics are needed before this "
        "can be rated.",
        appearances=[(CNN, BOLUARTE_QUOTE, None, None)],
        evidence=[],
        verdict=None,
        state="draft",
    ),
    DemoClaim(
        slug="migrant-crisis-overcome",
        text="The migrant crisis at the Peru–Chile border has been overcome.",
        claimant="ignacio-higueras",
        topics=["migration", "humanitarian-situation"],
        context="Joint statement by the foreign ministers of Peru and Chile in Lima.",
        first_made_on=MAY_22,
        true_as_of=MAY_22,
        appearances=[
            (BIOBIO, MINISTERS_QUOTE, MAY_22, None),
            (BIOBIO, MINISTERS_QUOTE, MAY_22, "gloria-de-la-fuente"),
        ],
        evidence=[
            DemoEvidence(BIOBIO, RETURN_FLIGHTS, "supports"),
            DemoEvidence(
                BIOBIO,
                ABOUT_30,
                "refutes",
                "People were still stranded when the ministers spoke.",
                (STRANDED, "about", "30", "people", None),
            ),
            DemoEvidence(
                CNN,
                IOM_150,
                "context",
                "The IOM's count a month earlier, for comparison.",
                (STRANDED, "exact", "150", "people", APRIL_26),
            ),
            DemoEvidence(
                BIOBIO,
                AMNESTY_300,
                "context",
                "Amnesty International's count; the report does not date it.",
                (STRANDED, "at_least", "300", "people", None),
            ),
        ],
        verdict=(
            "half-true",
            "The number of people stranded fell sharply after April, but about 30 were still "
            "at the border when the crisis was declared over.",
            "By the ministers' own account the situation improved: more than 100 Venezuelans "
            "flew home in early May and border controls were tightened. Counts of people "
            "stranded had ranged from 150 (IOM, April 26) to “at least 300” (Amnesty "
            "International).\n\n"
            "But Peru's Foreign Ministry itself said about 30 foreigners remained, on the "
            "Chilean side of the Pan-American highway. “Overcome” is true of the peak, not of "
            "the people still there. This verdict refers to the situation on May 22, 2023. "
            "See the two sub-claims for each part.",
        ),
        state="published",
    ),
    DemoClaim(
        slug="stranded-migrants-fell-april-may",
        text="The number of migrants stranded at the Peru–Chile border fell between April "
        "and late May 2023.",
        claimant="ignacio-higueras",
        parent="migrant-crisis-overcome",
        topics=["migration", "humanitarian-situation"],
        true_as_of=MAY_22,
        appearances=[(BIOBIO, MINISTERS_QUOTE, MAY_22, None)],
        evidence=[
            DemoEvidence(
                CNN,
                IOM_150,
                "supports",
                "",
                (STRANDED, "exact", "150", "people", APRIL_26),
            ),
            DemoEvidence(
                CNN,
                "peaks of up to 250 people were recorded",
                "supports",
                "",
                (STRANDED, "up_to", "250", "people", None),
            ),
            DemoEvidence(
                BIOBIO,
                ABOUT_30,
                "supports",
                "",
                (STRANDED, "about", "30", "people", None),
            ),
            DemoEvidence(BIOBIO, RETURN_FLIGHTS, "supports"),
        ],
        verdict=(
            "mostly-true",
            "Counts fell from 150–300 people in April to about 30 by late May.",
            "The IOM counted 150 people stranded as of April 26, with peaks of up to 250; "
            "Amnesty International said at least 300. After more than 100 Venezuelans "
            "returned home on special flights in early May, Peru's Foreign Ministry put the "
            "number at about 30. The counts come from different organisations and dates, so "
            "the size of the fall is approximate; its direction is clear.",
        ),
        state="published",
    ),
    DemoClaim(
        slug="no-migrants-remain-stranded",
        text="No migrants remain stranded at the Peru–Chile border.",
        claimant="ignacio-higueras",
        parent="migrant-crisis-overcome",
        topics=["migration", "humanitarian-situation"],
        true_as_of=MAY_22,
        context="The strongest reading of “the crisis has been overcome”.",
        appearances=[(BIOBIO, MINISTERS_QUOTE, MAY_22, None)],
        evidence=[
            DemoEvidence(
                BIOBIO,
                ABOUT_30,
                "refutes",
                "",
                (STRANDED, "about", "30", "people", None),
            ),
            DemoEvidence(
                BIOBIO,
                "He stressed that these migrants are located on the “Chilean side” of the "
                "Pan-American South Highway, which connects the two countries.",
                "context",
            ),
            DemoEvidence(
                CNN,
                "For several days there have been attempts to blockades by migrants stranded "
                "on the highway that connects the two countries.",
                "context",
                "Earlier, in April.",
            ),
        ],
        verdict=(
            "false",
            "Peru's own Foreign Ministry said about 30 foreigners were still at the border.",
            "The same report that carries the ministers' statement quotes Peru's Ministry of "
            "Foreign Affairs: about 30 foreigners, mainly Haitians, remained in the region, "
            "on the Chilean side of the Pan-American South Highway.",
        ),
        state="published",
    ),
    DemoClaim(
        slug="peru-deployed-180-police-border",
        text="Peru has deployed 180 national police officers to its border with Chile.",
        claimant="peru-interior-ministry",
        topics=["border-security", "migration"],
        appearances=[
            (
                BIOBIO,
                "The Peruvian government has deployed 180 national police personnel to prevent "
                "the “illegal entry of migrants” through various points on the border with "
                "Chile, the Interior Ministry reported.",
                None,
                None,
            )
        ],
        evidence=[
            DemoEvidence(
                BIOBIO,
                "The Peruvian National Police (PNP) has launched motorized patrols and "
                "increased the number of police officers in the border area with Chile",
                "supports",
            ),
            DemoEvidence(
                BIOBIO,
                "They all carry out their duties by patrolling in three shifts on trucks, "
                "motorcycles, and ATVs.",
                "supports",
            ),
            DemoEvidence(
                CNN,
                "The images show the migrants running through the desert area that divides "
                "both countries, and the Police trying to contain them to return them to the "
                "control point.",
                "supports",
                "Police were at the border.",
            ),
        ],
        verdict=(
            "true",
            "Peru sent 180 police officers to patrol the border with Chile.",
            "The Interior Ministry reported 180 national police personnel from the XIV Macro "
            "Police District in Tacna, patrolling in three shifts.",
        ),
        state="corrected",
        evidence_after_publication=[
            DemoEvidence(
                CNN,
                "Peruvian security authorities announced that they would send a contingent of "
                "200 police officers to patrol the border area.",
                "refutes",
                "A different figure, announced a day before CNN's report.",
                (POLICE, "exact", "200", "police officers", None),
            ),
            DemoEvidence(
                BIOBIO,
                "The Peruvian government has deployed 180 national police personnel",
                "supports",
                "The Interior Ministry's figure.",
                (POLICE, "exact", "180", "police officers", None),
            ),
        ],
        correction={
            "kind": CorrectionKind.CORRECTION,
            "note": "Our first version rated this claim True without noting that CNN en "
            "Español reported a different figure: a contingent of 200 police officers. We "
            "added both figures to the evidence and changed the rating to Mostly true.",
            "rating": "mostly-true",
            "conclusion": "Peru sent police to patrol the border with Chile; reports differ "
            "on how many (180 or 200).",
            "explanation": "The Interior Ministry reported 180 national police personnel from "
            "the XIV Macro Police District in Tacna, patrolling in three shifts. CNN en "
            "Español reported that security authorities announced a contingent of 200 police "
            "officers. The deployment is confirmed; the number depends on the source.",
        },
    ),
    DemoClaim(
        slug="migratory-flow-too-massive",
        text="The migratory flow into Chile is too massive.",
        claimant="alberto-van-klaveren",
        topics=["migration"],
        context="Interview with Radio Infinita.",
        appearances=[
            (
                CNN,
                "Asked about the issue in an interview with Radio Infinita, the Chilean Foreign "
                "Minister, Alberto Van Klaveren, stated that the migratory flow “is too "
                "massive” and that the perception of the population is that they are "
                "“overwhelmed.”",
                None,
                None,
            )
        ],
        evidence=[
            DemoEvidence(
                BIOBIO,
                "Last April, hundreds of undocumented migrants decided to leave Chile, most of "
                "them Venezuelan and Haitian nationals.",
                "context",
            ),
            DemoEvidence(
                CNN,
                "the perception of the population is that they are “overwhelmed.”",
                "context",
                "The minister frames it as perception, not measurement.",
            ),
        ],
        verdict=(
            "not-checkable",
            "“Too massive” is a judgement, not a measurable fact.",
            "No figure can make a flow “too” massive; that depends on policy and opinion. "
            "The minister himself referred to the population's perception.",
        ),
        state="in_review",
    ),
    DemoClaim(
        slug="70-percent-want-to-reach-venezuela",
        text="70% of the migrants at the Peru–Chile border intend to reach Venezuela.",
        claimant="iom",
        topics=["migration"],
        appearances=[
            (
                CNN,
                "According to the IOM, most migrants mention intending to reach Venezuela "
                "(70%) or Mexico/United States (in 11% of cases) or other destinations "
                "outside of Peru.",
                None,
                None,
            )
        ],
        evidence=[
            DemoEvidence(CNN, "The OIM observes a northbound traffic.", "supports"),
            DemoEvidence(BIOBIO, RETURN_FLIGHTS, "supports"),
            DemoEvidence(
                BIOBIO,
                "They also seek to pay attention to humanitarian incidents at the border and "
                "the voluntary return of Venezuelan nationals.",
                "context",
            ),
        ],
        verdict=(
            "mostly-true",
            "The IOM's figure is consistent with Venezuelans returning home in May.",
            "The IOM says 70% of migrants mention Venezuela as their destination; more than "
            "100 Venezuelans flew home in early May.",
        ),
        state="changes_requested",
        comment="The report gives neither the survey's date nor its sample size; say so in "
        "the explanation before this goes out.",
    ),
    DemoClaim(
        slug="migrants-tried-to-force-border-crossing",
        text="Migrants tried to force their way across the border between Chile and Peru.",
        claimant="tv-peru",
        topics=["border-security", "migration"],
        appearances=[
            (
                CNN,
                "Several migrants tried to cross the border between Chile and Peru this "
                "Thursday, according to a report by the state channel TV Peru.",
                None,
                None,
            )
        ],
        evidence=[
            DemoEvidence(
                CNN,
                "The images show the migrants running through the desert area that divides "
                "both countries, and the Police trying to contain them to return them to the "
                "control point.",
                "supports",
            ),
            DemoEvidence(
                BIOBIO,
                "This happened after it became known that groups of migrants were gathering "
                "in the Chilean-Peruvian border area, as happened last April.",
                "context",
            ),
        ],
        verdict=(
            "mostly-true",
            "State television footage shows migrants running across the desert border "
            "while police try to contain them.",
            "TV Perú's images, as described by CNN en Español, show migrants running through "
            "the desert that divides the two countries.",
        ),
        state="retracted",
        comment="We retracted this fact-check: it rested on one broadcast we could not "
        "review ourselves, and Peru's Ministry of the Interior had not given details when "
        "CNN asked. We will publish a new check if the footage can be verified.",
    ),
]


def seed_text(name: str) -> str:
    return (SEEDS_DIR / f"{name}.txt").read_text(encoding="utf-8")


class DemoNewsroom:
    """Loads the demo newsroom; running it again changes nothing."""

    def __init__(self, *, with_users: bool, stdout=None):
        self.with_users = with_users
        self.stdout = stdout

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def load(self) -> dict[str, int]:
        users = self.load_users()
        topics = {
            slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name, "name_es": es})[0]
            for slug, name, es in TOPICS
        }
        claimants = {
            slug: Claimant.objects.get_or_create(
                slug=slug,
                defaults={"kind": kind, "name": name, "role": role, "country": country},
            )[0]
            for slug, kind, name, role, country in CLAIMANTS
        }
        publishers = {
            slug: Publisher.objects.get_or_create(
                slug=slug, defaults={"name": name, "country": country}
            )[0]
            for slug, name, country in PUBLISHERS
        }
        sources = {
            slug: Source.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": spec["title"],
                    "publisher": publishers[spec["publisher"]],
                    "authors": spec["authors"],
                    "kind": SourceKind.NEWS_REPORT,
                    "language": "en",
                    "snapshot": seed_text(slug),
                    "notes": spec["notes"],
                },
            )[0]
            for slug, spec in SOURCES.items()
        }
        created = 0
        for spec in DEMO_CLAIMS:
            if Claim.objects.filter(slug=spec.slug).exists():
                continue
            self.build_claim(spec, users, topics, claimants, sources)
            created += 1
        self.log(f"Demo newsroom: {created} claims created, {len(DEMO_CLAIMS) - created} present.")
        return {"claims_created": created}

    def load_users(self) -> dict[str, object]:
        """Demo accounts. Without `with_users` they exist only as authors of the
        demo's history, with no usable password, so no well-known login is created."""
        User = get_user_model()
        users = {}
        for spec in DEMO_USERS:
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

    def build_claim(self, spec: DemoClaim, users, topics, claimants, sources) -> Claim:
        researcher, editor, editor2 = users["researcher"], users["editor"], users["editor2"]
        claim = services.claim_create(
            by=researcher,
            text=spec.text,
            slug=spec.slug,
            claimant=claimants[spec.claimant] if spec.claimant else None,
            language="en",
            first_made_on=spec.first_made_on,
            context=spec.context,
            topics=[topics[t] for t in spec.topics],
            assigned_to=researcher,
            true_as_of=spec.true_as_of,
            parent=Claim.objects.get(slug=spec.parent) if spec.parent else None,
        )
        for source, quote, date, speaker in spec.appearances:
            services.appearance_create(
                claim=claim,
                by=researcher,
                source=sources[source],
                quote=quote,
                appeared_on=date,
                speaker=claimants[speaker] if speaker else None,
            )
        for item in spec.evidence:
            self.add_evidence(claim, researcher, item, sources)
        if spec.verdict:
            rating, conclusion, explanation = spec.verdict
            services.verdict_create(
                claim=claim,
                by=researcher,
                rating=Rating.objects.get(slug=rating),
                conclusion=conclusion,
                explanation=explanation,
            )
        if spec.state == "draft":
            return claim
        workflow.claim_submit(claim=claim, by=researcher)
        if spec.state == "changes_requested":
            workflow.claim_request_changes(claim=claim, by=editor, comment=spec.comment)
            return claim
        if spec.state == "in_review":
            return claim
        workflow.claim_publish(claim=claim, by=editor)
        if spec.state == "retracted":
            workflow.claim_retract(claim=claim, by=editor, reason=spec.comment)
        if spec.state == "corrected":
            for item in spec.evidence_after_publication:
                self.add_evidence(claim, researcher, item, sources)
            fix = spec.correction
            correction = workflow.correction_propose(
                claim=claim,
                by=editor,
                kind=fix["kind"],
                note=fix["note"],
                rating=Rating.objects.get(slug=fix["rating"]),
                conclusion=fix["conclusion"],
                explanation=fix["explanation"],
            )
            workflow.correction_publish(correction=correction, by=editor2)
        return claim

    @staticmethod
    def add_evidence(claim, by, item: DemoEvidence, sources) -> None:
        figure = {}
        if item.figure:
            quantity, qualifier, value, unit, as_of = item.figure
            figure = {
                "figure_quantity": quantity,
                "figure_qualifier": qualifier,
                "figure_value": Decimal(value),
                "figure_unit": unit,
                "figure_as_of": as_of,
            }
        services.evidence_create(
            claim=claim,
            by=by,
            source=sources[item.source],
            excerpt=item.excerpt,
            stance=item.stance,
            note=item.note,
            **figure,
        )
