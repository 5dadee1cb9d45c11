"""Approximate nearest-neighbour indexes of the stored vectors, one file for
the claims' wordings and one for the appearances' quotes, that every server
process on a machine maps into memory.

Below `VERAZ_VECTOR_INDEX_MIN_VECTORS` stored vectors (of claims, or of
quotes: each file is used or not on its own count) the exact scan of
`claims.search.embedding.VectorIndex` is used: it is exact and cheap there.
Above it, a million vectors would take 1.5 GB and tens of milliseconds per
lookup in *each* process, so `manage.py build_vector_index` writes a usearch
HNSW graph to `VERAZ_VECTOR_INDEX_PATH`, keyed by claim id, and another to
`<that path>.quotes`, keyed by appearance id; each process opens them with
`view=True` (memory-mapped, read-only: gunicorn workers share their pages
through the page cache). Every function here takes what is indexed
(`claims.search.embedded.CLAIMS` or `QUOTES`, the claims' by default).

Each file is derived data and never trusted on its own:

- A sidecar (`<path>.json`) records the embedder whose vectors it holds, how
  many, and when the build started reading them (its high-water mark). Rows
  updated since (new claims, rewordings, new or edited quotes) are the
  *tail*: searched exactly in memory and merged with the graph's answer, so
  a claim or quote saved a second ago is found. A periodic rebuild
  (`refresh_vector_index`, Celery beat) folds the tail into the file.
- Every candidate's cosine is computed again from its stored vector (by the
  caller, `claims.search.embedding.IndexedSearch`), and its claim (or the
  appearance, with its present claim and quote) is read from the database: a
  deleted claim, a merged one, an old wording or an old quote never comes
  back with the graph's score.
- A file built for another embedder, or unreadable, is ignored: matching then
  uses the exact scan, as it does without usearch (`pip install usearch`; its
  wheel is pinned for CPython 3.12 only).

A rebuild writes a new file beside the old one and renames it into place, so
a process that has the old file mapped keeps reading it until its next lookup
notices the new one (a `stat` per lookup).
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from claims.search.embedded import CLAIMS, Embedded

if TYPE_CHECKING:
    import numpy

logger = logging.getLogger(__name__)

# A row saved in a transaction still open when a build starts reading carries
# an `updated_at` before the build's start, but the build may not see it; the
# tail therefore starts this much earlier (longer than any request's
# transaction, and than the clock skew between application nodes). Rows both
# in the file and the tail are harmless: the caller scores each claim once,
# from its stored vector.
TAIL_OVERLAP = datetime.timedelta(minutes=1)
# The graph is asked for this many times the neighbours wanted: some of them
# may be stale (deleted, reworded) and are dropped by the caller.
OVERSAMPLE = 2
READ_CHUNK = 10_000


def usearch_available() -> bool:
    try:
        import usearch.index  # noqa: F401
    except ImportError:
        return False
    return True


def index_path(kind: Embedded = CLAIMS, base: str | None = None) -> Path:
    """Where `kind`'s file is: `base` (default: the setting) for the claims',
    beside it with a suffix for the quotes'."""
    return Path((base or settings.VERAZ_VECTOR_INDEX_PATH) + kind.file_suffix)


def metadata_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


@dataclass(frozen=True)
class IndexMetadata:
    embedder: str
    dimensions: int
    count: int
    # ISO 8601: when the build started reading; every row updated before
    # (less TAIL_OVERLAP) is in the file.
    high_water: str
    built_at: str
    # Of the index file this sidecar describes: a reader that finds the sidecar
    # of another file (between a rebuild's two renames) waits for the next one.
    inode: int
    size: int

    @property
    def high_water_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.high_water)

    @classmethod
    def read(cls, path: Path) -> IndexMetadata | None:
        try:
            metadata = cls(**json.loads(metadata_path(path).read_text()))
            _ = metadata.high_water_at  # a sidecar that names no time is no sidecar
        except (OSError, ValueError, TypeError):
            return None
        return metadata


# --- Building -------------------------------------------------------------------------


def build_index_file(
    *,
    embedder_name: str,
    kind: Embedded = CLAIMS,
    using: str = "default",
    path: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IndexMetadata:
    """Write the index of every stored vector of `kind` by `embedder_name` to
    `path` (default: `index_path(kind)`), replacing any previous file only
    once the new one is complete. Raises ImportError without usearch."""
    from usearch.index import Index

    high_water = timezone.now()
    rows = kind.model.objects.using(using).filter(embedder=embedder_name)
    index = None
    for chunk, done, total in _chunks(rows, kind):
        if index is None:
            index = _new_index(Index, chunk.matrix.shape[1])
        # A claim (or quote) re-embedded while the build reads gets a new row
        # (a higher id, read in a later chunk): its newer vector replaces the
        # one read before, instead of usearch refusing the repeated key.
        index.remove([key for key in chunk.keys if key in index])
        index.add(chunk.keys, chunk.matrix, threads=_threads())
        if progress:
            progress(done, total)
    if index is None:
        index = _new_index(Index, 0)
    return _write(index, path or index_path(kind), embedder_name, high_water)


def update_index_file(
    *, embedder_name: str, kind: Embedded = CLAIMS, using: str = "default"
) -> IndexMetadata | None:
    """Fold the rows written since `kind`'s file was built into it
    (re-embedded claims or quotes replace their old vector); cheaper than a
    rebuild, though deleted ones stay in the graph (the caller drops them)
    until the next rebuild. None when there is no file of this embedder to
    update."""
    from usearch.index import Index

    path = index_path(kind)
    metadata = IndexMetadata.read(path)
    if metadata is None or metadata.embedder != embedder_name or not metadata.count:
        return None
    index = Index.restore(str(path))  # into memory, not mapped: it is modified
    if index is None:
        return None
    high_water = timezone.now()
    rows = kind.model.objects.using(using).filter(
        embedder=embedder_name, updated_at__gte=tail_since(metadata)
    )
    for chunk, _done, _total in _chunks(rows, kind):
        index.remove([key for key in chunk.keys if key in index])
        index.add(chunk.keys, chunk.matrix, threads=_threads())
    return _write(index, path, embedder_name, high_water)


@dataclass
class _Chunk:
    keys: list[int]  # claim or appearance ids
    matrix: numpy.ndarray


def _chunks(rows, kind: Embedded):
    """The rows' vectors, READ_CHUNK at a time, with how many were read of how many."""
    import numpy

    total = rows.count()
    done, last_pk = 0, 0
    while True:
        # Keyset pagination: a server-side cursor would hold one snapshot
        # (and its transaction) open for the whole build.
        chunk = list(
            rows.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", kind.key, "vector")[:READ_CHUNK]
        )
        if not chunk:
            return
        last_pk = chunk[-1][0]
        vectors = b"".join(bytes(vector) for _pk, _key, vector in chunk)
        matrix = numpy.frombuffer(vectors, dtype="<f4").reshape(len(chunk), -1)
        done += len(chunk)
        yield _Chunk([key for _pk, key, _v in chunk], matrix), done, total


def _write(index, path: Path, embedder_name: str, high_water) -> IndexMetadata:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary_metadata = metadata_path(temporary)
    try:
        index.save(str(temporary))
        stat = temporary.stat()
        metadata = IndexMetadata(
            embedder=embedder_name,
            dimensions=int(index.ndim),
            count=len(index),
            high_water=high_water.isoformat(),
            built_at=datetime.datetime.now(datetime.UTC).isoformat(),
            inode=stat.st_ino,
            size=stat.st_size,
        )
        temporary_metadata.write_text(json.dumps(asdict(metadata)))
        # The file first: until the sidecar follows, readers see a sidecar
        # that names another inode and keep the file they have.
        os.replace(temporary, path)
        os.replace(temporary_metadata, metadata_path(path))
    finally:
        temporary.unlink(missing_ok=True)
        temporary_metadata.unlink(missing_ok=True)
    return metadata


def _new_index(index_class, dimensions: int):
    return index_class(
        ndim=dimensions,
        metric="cos",
        dtype=settings.VERAZ_VECTOR_INDEX_DTYPE,
        connectivity=settings.VERAZ_VECTOR_INDEX_CONNECTIVITY,
        expansion_search=settings.VERAZ_VECTOR_INDEX_EXPANSION,
    )


def _threads() -> int:
    return settings.VERAZ_VECTOR_INDEX_BUILD_THREADS or 0


# --- Reading --------------------------------------------------------------------------


@dataclass
class OpenedIndex:
    file_key: tuple[int, int, int]  # inode, mtime, size
    metadata: IndexMetadata
    index: object  # usearch.index.Index, memory-mapped

    def nearest(self, vector: numpy.ndarray, k: int) -> list[int]:
        """The keys (claim or appearance ids) of about the `k` nearest vectors,
        nearest first."""
        if k <= 0 or not self.metadata.count:
            return []
        matches = self.index.search(vector, min(k, self.metadata.count), threads=1)
        return [int(key) for key in matches.keys]


class IndexFile:
    """The index file as this process has it open; opened again when a
    rebuild puts a new file at the path."""

    def __init__(self, path: Path):
        self.path = path
        self._opened: OpenedIndex | None = None
        # The file key of a file that could not be read: not tried (and
        # logged) again on every lookup and probe until the file changes.
        self._failed: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    def opened(self) -> OpenedIndex | None:
        """The current file, memory-mapped; None when there is none usable."""
        try:
            stat = self.path.stat()
        except OSError:
            self._opened = None
            return None
        file_key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        opened = self._opened
        if opened is not None and opened.file_key == file_key:
            return opened
        if file_key == self._failed:
            return None
        with self._lock:
            if self._opened is not None and self._opened.file_key == file_key:
                return self._opened
            metadata = IndexMetadata.read(self.path)
            if metadata is None or (metadata.inode, metadata.size) != (stat.st_ino, stat.st_size):
                # Missing, or a rebuild is between its two renames: keep
                # what is open (its mapping stays valid) until it completes.
                return self._opened
            try:
                from usearch.index import Index

                index = Index.restore(str(self.path), view=True)
            except ImportError:
                return None
            except Exception:  # a truncated or foreign file
                logger.exception("Cannot read the vector index %s; rebuild it.", self.path)
                index = None
            if index is None or len(index) != metadata.count:
                self._opened, self._failed = None, file_key
                return None
            self._opened = OpenedIndex(file_key, metadata, index)
            return self._opened


_files: dict[Path, IndexFile] = {}


def index_file(kind: Embedded = CLAIMS) -> IndexFile:
    path = index_path(kind)
    if path not in _files:
        _files[path] = IndexFile(path)
    return _files[path]


def usable_index(embedder_name: str, kind: Embedded = CLAIMS) -> OpenedIndex | None:
    """`kind`'s open index file, when matching should use it: it holds this
    embedder's vectors and at least `VERAZ_VECTOR_INDEX_MIN_VECTORS` of them."""
    if not settings.VERAZ_VECTOR_INDEX_PATH:
        return None
    opened = index_file(kind).opened()
    if opened is None or opened.metadata.embedder != embedder_name:
        return None
    if opened.metadata.count < settings.VERAZ_VECTOR_INDEX_MIN_VECTORS:
        return None
    return opened


def tail_since(metadata: IndexMetadata) -> datetime.datetime:
    """Rows updated at or after this are searched exactly beside the file."""
    return metadata.high_water_at - TAIL_OVERLAP


# --- Health -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexStatus:
    # "ok"; "exact" (below the threshold, not needed); "lagging", "mismatch",
    # "unavailable", "unreadable" or "missing" (matching is still right, but
    # slower or lagging, see /readyz).
    state: str
    detail: str
    lag: int = 0  # rows newer than the file
    label: str = CLAIMS.label

    @property
    def line(self) -> str:
        return f"{self.label}: {self.state} ({self.detail})"


def index_status(
    embedder_name: str, using: str = "default", kind: Embedded = CLAIMS
) -> IndexStatus:
    """How `kind`'s index file stands against the database, for /readyz and
    the periodic rebuild. Counts are bounded: never more than the threshold
    (or the lag limit) plus one rows are counted."""
    threshold = settings.VERAZ_VECTOR_INDEX_MIN_VECTORS
    max_lag = settings.VERAZ_VECTOR_INDEX_MAX_LAG
    rows = kind.model.objects.using(using).filter(embedder=embedder_name)
    opened = index_file(kind).opened() if settings.VERAZ_VECTOR_INDEX_PATH else None

    def status(state: str, detail: str, lag: int = 0) -> IndexStatus:
        return IndexStatus(state, detail, lag, kind.label)

    if opened is not None and opened.metadata.embedder == embedder_name:
        metadata = opened.metadata
        lag = rows.filter(updated_at__gte=metadata.high_water_at)[: max_lag + 1].count()
        detail = f"{metadata.count} vectors, {lag} newer rows searched exactly"
        if lag > max_lag:
            return status("lagging", f"{metadata.count} vectors, over {max_lag} newer rows", lag)
        if metadata.count < threshold:
            return status("exact", f"{detail}; the file is used from {threshold}", lag)
        return status("ok", detail, lag)
    if opened is not None:
        return status(
            "mismatch", f"the file holds {opened.metadata.embedder}'s vectors; exact scan"
        )
    stored = rows[: threshold + 1].count()
    if stored <= threshold:
        return status("exact", f"{stored} vectors, exact scan up to {threshold}")
    scan, scan_max = "exact scan", settings.VERAZ_VECTOR_EXACT_SCAN_MAX
    if rows[: scan_max + 1].count() > scan_max:
        scan = f"over {scan_max}: {kind.left_out}"
    if not usearch_available():
        return status("unavailable", f"usearch is not installed; {scan}")
    if settings.VERAZ_VECTOR_INDEX_PATH and index_path(kind).exists():
        return status(
            "unreadable", f"over {threshold} vectors, {scan}; run manage.py build_vector_index"
        )
    return status("missing", f"over {threshold} vectors, {scan}; run manage.py build_vector_index")
