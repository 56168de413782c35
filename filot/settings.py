"""FiLot settings, read from the environment (django-environ).

With nothing set, FiLot runs on embedded defaults: SQLite under ``var/``, files under
``var/media/``, Celery tasks run in-process, a local-memory cache and debug on.
``FILOT_ENV=production`` (or ``NODE_ENV=production``) turns on production mode, in which
the system check in ``filot/checks.py`` refuses to start on a missing, default or weak secret.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import environ
from botocore.config import Config as BotoConfig
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("FILOT_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

PRODUCTION = (
    env.str("FILOT_ENV", default="").lower() == "production"
    or env.str("NODE_ENV", default="").lower() == "production"
)

# Secrets. The development values below are public; filot.checks refuses them in production.
DEV_SESSION_SECRET = "filot-dev-session-secret-do-not-use-in-production"  # noqa: S105 - public dev default
DEV_JWT_SECRET = "filot-dev-jwt-secret-do-not-use-in-production-0000"  # noqa: S105 - public dev default
DEV_SERVICE_KEY = "filot-dev-service-key-do-not-use-in-production-000"
DEV_BULI2_SIGNATURE_SECRET = "filot-dev-buli2-signature-secret-do-not-use-0000"  # noqa: S105 - public dev default

# A missing SESSION_SECRET in production gets a throwaway value only so that the system check
# can report it by name; filot.checks then refuses to start.
SECRET_KEY = env.str("SESSION_SECRET", default="" if PRODUCTION else DEV_SESSION_SECRET) or (
    "unset-" + secrets.token_urlsafe(48)
)
JWT_SECRET = env.str("JWT_SECRET", default="" if PRODUCTION else DEV_JWT_SECRET)
SERVICE_INTERNAL_KEYS = [
    key.strip()
    for key in env.str("SERVICE_INTERNAL_KEY", default="" if PRODUCTION else DEV_SERVICE_KEY).split(
        ","
    )
    if key.strip()
]


def _derive_field_key(secret: str, purpose: str) -> str:
    """The development Fernet key: derived from the (public) development session secret."""
    return base64.urlsafe_b64encode(
        hashlib.sha256(f"filot-{purpose}:{secret}".encode()).digest()
    ).decode()


# Personal data at rest (filot.crypto): Fernet keys, the first encrypts and all decrypt; and
# the key of the HMAC digests used for exact-match lookups. Development derives both from the
# session secret; production requires them (filot.checks).
FIELD_ENCRYPTION_KEYS = [
    key.strip() for key in env.str("FIELD_ENCRYPTION_KEYS", default="").split(",") if key.strip()
] or ([] if PRODUCTION else [_derive_field_key(SECRET_KEY, "field-encryption")])
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY", default="" if PRODUCTION else SECRET_KEY)

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PORT = env.int("PORT", default=8000)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "csp",
    "filot",
    "documents",
    "verification",
    "reviews",
    "reviews.partner",
    "erasure",
    "ocr_gpu",
    "workflows",
    "api",
    "insights",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "filot.middleware.RequestIdMiddleware",
    "filot.middleware.ApiUtcMiddleware",
    "filot.middleware.ForwardedWithoutProxiesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "filot.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "filot.urls"
WSGI_APPLICATION = "filot.wsgi.application"
AUTH_USER_MODEL = "filot.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL through DATABASE_URL; SQLite under var/ when unset.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'filot.sqlite3'}"),
}
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: make its folder so a fresh clone just works.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
if USING_POSTGRES:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
    )


def _redis_url_with_password(url: str, password: str) -> str:
    """Put REDIS_PASSWORD into a redis:// or rediss:// URL that has none of its own."""
    if not url or not password:
        return url
    parts = urlsplit(url)
    if parts.password:
        return url
    user = quote(parts.username or "", safe="")
    netloc = f"{user}:{quote(password, safe='')}@{parts.hostname}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


REDIS_URL = _redis_url_with_password(
    env.str("REDIS_URL", default=""), env.str("REDIS_PASSWORD", default="")
)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "filot",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Storage: Cloudflare R2 (S3 API) when CF_R2_BUCKET_NAME is set, else local files.
CF_R2_BUCKET_NAME = env.str("CF_R2_BUCKET_NAME", default="")
CF_R2_ENDPOINT = env.str("CF_R2_ENDPOINT", default="")
CF_ACCOUNT_ID = env.str("CF_ACCOUNT_ID", default="")
if not CF_R2_ENDPOINT and CF_ACCOUNT_ID:
    CF_R2_ENDPOINT = f"https://{CF_ACCOUNT_ID}.r2.cloudflarestorage.com"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
DOCUMENT_URL_EXPIRY_SECONDS = env.int("DOCUMENT_URL_EXPIRY_SECONDS", default=300)

# Objects are private and never cached; server-side encryption is requested as well (R2
# encrypts every object at rest in any case; set CF_R2_SERVER_SIDE_ENCRYPTION="" for a store
# that rejects the header).
_sse = env.str("CF_R2_SERVER_SIDE_ENCRYPTION", default="AES256")
R2_OBJECT_PARAMETERS = {
    "CacheControl": "private, no-store",
    **({"ServerSideEncryption": _sse} if _sse else {}),
}

if CF_R2_BUCKET_NAME:
    _document_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CF_R2_BUCKET_NAME,
            "endpoint_url": CF_R2_ENDPOINT,
            "access_key": env.str("CF_R2_ACCESS_KEY_ID", default=""),
            "secret_key": env.str("CF_R2_SECRET_ACCESS_KEY", default=""),
            "region_name": env.str("CF_R2_REGION", default="auto"),
            "signature_version": "s3v4",
            "addressing_style": env.str("CF_R2_ADDRESSING_STYLE", default="path"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": DOCUMENT_URL_EXPIRY_SECONDS,
            "file_overwrite": False,
            "object_parameters": R2_OBJECT_PARAMETERS,
            # R2 rejects the CRC checksums that recent boto3 sends by default.
            "client_config": BotoConfig(
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                connect_timeout=env.float("CF_R2_CONNECT_TIMEOUT", default=3.0),
                read_timeout=env.float("CF_R2_READ_TIMEOUT", default=10.0),
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }
else:
    _document_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }

STORAGES = {
    "default": _document_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"

# Auth
# Password guessing: django-axes locks a (user, address) pair out after AXES_FAILURE_LIMIT
# failures on the admin login and the token endpoint; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "filot.authentication.axes_username"
AXES_CLIENT_IP_CALLABLE = "filot.authentication.axes_client_ip"
AXES_VERBOSE = False
# Staff sign in to the console with a TOTP second factor (django-otp); on by default in
# production. `manage.py add_totp_device EMAIL` enrols a device.
STAFF_TOTP_REQUIRED = env.bool("STAFF_TOTP_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = "FiLot"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ],
)

STACK_PROJECT_ID = env.str("STACK_PROJECT_ID", default="")
STACK_SECRET_SERVER_KEY = env.str("STACK_SECRET_SERVER_KEY", default="")
STACK_PUBLISHABLE_CLIENT_KEY = env.str("STACK_PUBLISHABLE_CLIENT_KEY", default="")
STACK_API_URL = env.str("STACK_API_URL", default="https://api.stack-auth.com").rstrip("/")
STACK_JWKS_URL = env.str(
    "STACK_JWKS_URL",
    default=f"{STACK_API_URL}/api/v1/projects/{STACK_PROJECT_ID}/.well-known/jwks.json",
)
STACK_ISSUER = env.str(
    "STACK_ISSUER", default=f"{STACK_API_URL}/api/v1/projects/{STACK_PROJECT_ID}"
)
STACK_AUDIENCE = env.str("STACK_AUDIENCE", default=STACK_PROJECT_ID)
STACK_JWKS_CACHE_SECONDS = env.int("STACK_JWKS_CACHE_SECONDS", default=300)
STACK_JWKS_TIMEOUT_SECONDS = env.float("STACK_JWKS_TIMEOUT_SECONDS", default=3.0)

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SECRET,
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=10)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ISSUER": "filot",
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "LEEWAY": 0,
    # Every token carries a digest of the password hash as it was at sign-in: changing the
    # password (anywhere: API, admin, set_password) refuses every earlier token. The refresh
    # endpoint checks it too (filot.serializers.TokenRefreshSerializer).
    "CHECK_REVOKE_TOKEN": True,
    "TOKEN_REFRESH_SERIALIZER": "filot.serializers.TokenRefreshSerializer",
}

# Django REST framework
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "filot.authentication.FilotJWTAuthentication",
        "filot.authentication.StackAuthAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "filot.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "filot.schema.FilotAutoSchema",
    "EXCEPTION_HANDLER": "filot.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": {
        "uploads": env.str("THROTTLE_UPLOADS", default="30/hour"),
        "auth": env.str("THROTTLE_AUTH", default="20/minute"),
        "user": env.str("THROTTLE_USER", default="600/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "FiLot KYC API",
    "DESCRIPTION": "Verification of Indonesian KTP and NPWP documents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several serializers have a ``status`` field; name the document one explicitly.
    "ENUM_NAME_OVERRIDES": {"DocumentStatusEnum": "documents.status.DocumentStatus"},
}

CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS",
    default=[] if PRODUCTION else ["http://localhost:3000", "http://127.0.0.1:3000"],
)
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "x-request-id",
)
CORS_EXPOSE_HEADERS = ["X-Request-ID", "Location", "Retry-After"]

# Uploads
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DOCUMENT_MAX_PIXELS = env.int("DOCUMENT_MAX_PIXELS", default=40_000_000)
DOCUMENT_MIN_LONG_SIDE = env.int("DOCUMENT_MIN_LONG_SIDE", default=600)
DOCUMENT_MIN_SHORT_SIDE = env.int("DOCUMENT_MIN_SHORT_SIDE", default=380)
# A card scanned on an A4 page is 85.6 mm wide: 910 pixels at 270 dpi, over the 800 at which a
# card may be approved (verification/checks.py), and the page (2233 x 3157) is stored as rendered
# (halving it would leave it under DOCUMENT_STORE_MIN_LONG_SIDE). At 200 dpi the card was 674.
DOCUMENT_PDF_RENDER_DPI = env.int("DOCUMENT_PDF_RENDER_DPI", default=270)
# A PDF's first page is drawn by a child process with these limits (documents/pdf_render.py);
# past any of them the upload answers 422 pdf_too_complex. A card scan needs well under a second.
DOCUMENT_PDF_RENDER_CPU_SECONDS = env.int("DOCUMENT_PDF_RENDER_CPU_SECONDS", default=3)
DOCUMENT_PDF_RENDER_MEMORY_MB = env.int("DOCUMENT_PDF_RENDER_MEMORY_MB", default=512)
DOCUMENT_PDF_RENDER_TIMEOUT_SECONDS = env.float("DOCUMENT_PDF_RENDER_TIMEOUT_SECONDS", default=10.0)
# Pictures are stored reduced by 2, 4 or 8 while their long side stays at least this (a 12 MP
# photo is stored at 2000 x 1500), which bounds the cost of intake and of OCR.
DOCUMENT_STORE_MIN_LONG_SIDE = env.int("DOCUMENT_STORE_MIN_LONG_SIDE", default=1600)
# Request bodies above this are refused before they are read (the file limit plus form overhead).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILOT_MAX_REQUEST_BYTES = DOCUMENT_MAX_UPLOAD_BYTES + 1024 * 1024

# Scoring thresholds (read by the verification app)
AI_SCORE_THRESHOLD_AUTO_APPROVE = env.int("AI_SCORE_THRESHOLD_AUTO_APPROVE", default=85)
AI_SCORE_THRESHOLD_AUTO_REJECT = env.int("AI_SCORE_THRESHOLD_AUTO_REJECT", default=35)
# Two pictures whose 256-bit perceptual hashes differ in at most this many bits are "the same
# picture" (resized or re-compressed: within 4 bits); different cards of one template: 12+.
NEAR_IMAGE_MAX_DISTANCE = env.int("NEAR_IMAGE_MAX_DISTANCE", default=8)

# Manual review: how long a reviewer's claim on a case lasts, and when a case is overdue.
REVIEW_CLAIM_SECONDS = env.int("REVIEW_CLAIM_SECONDS", default=15 * 60)
REVIEW_SLA_SECONDS = env.int("REVIEW_SLA_SECONDS", default=4 * 3600)
# Decision quality (reviews.qa): the share (0-1) of automatic decisions also put in the queue
# as blind QA cases, looked for over this many recent seconds every QA_SAMPLE_INTERVAL_SECONDS;
# and the share of decided cases given a blind second review.
QA_SAMPLE_SHARE = env.float("QA_SAMPLE_SHARE", default=0.02)
QA_SAMPLE_LOOKBACK_SECONDS = env.int("QA_SAMPLE_LOOKBACK_SECONDS", default=2 * 86400)
QA_SAMPLE_INTERVAL_SECONDS = env.int("QA_SAMPLE_INTERVAL_SECONDS", default=300)
SECOND_REVIEW_SHARE = env.float("SECOND_REVIEW_SHARE", default=0.05)
for _share_name in ("QA_SAMPLE_SHARE", "SECOND_REVIEW_SHARE"):
    if not 0.0 <= globals()[_share_name] <= 1.0:
        raise ImproperlyConfigured(f"{_share_name} must be a share between 0 and 1")

# OCR
OCR_GPU_ENABLED = env.bool("OCR_GPU_ENABLED", default=False)
# ppocr: PP-OCR (rapidocr on ONNX Runtime) reads, Tesseract when it cannot load or fails, and a
# system check error when it cannot load; auto: the same with a warning; tesseract: Tesseract only.
OCR_ENGINE = env.str("OCR_ENGINE", default="auto")
if OCR_ENGINE not in ("auto", "ppocr", "tesseract"):
    raise ImproperlyConfigured("OCR_ENGINE must be auto, ppocr or tesseract")
OCR_LANGUAGES = env.str("OCR_LANGUAGES", default="ind+eng")
OCR_MAX_ATTEMPTS = env.int("OCR_MAX_ATTEMPTS", default=3)
OCR_SOFT_TIME_LIMIT = env.int("OCR_SOFT_TIME_LIMIT", default=120)
OCR_TIME_LIMIT = env.int("OCR_TIME_LIMIT", default=150)
OCR_TESSERACT_CMD = env.str("TESSERACT_CMD", default="tesseract")
# api: libtesseract in the worker process (tesserocr), its language data loaded once per process;
# cli: a `tesseract` process per call (TESSERACT_CMD), killed at the time limit.
OCR_TESSERACT_BINDING = env.str("TESSERACT_BINDING", default="api")
if OCR_TESSERACT_BINDING not in ("api", "cli"):
    raise ImproperlyConfigured("TESSERACT_BINDING must be api or cli")
# The language data's folder; empty: where libtesseract looks by itself.
OCR_TESSDATA_DIR = env.str("TESSDATA_PREFIX", default="")
OCR_RETRY_BACKOFF_SECONDS = env.float("OCR_RETRY_BACKOFF_SECONDS", default=5.0)
OCR_RETRY_BACKOFF_MAX_SECONDS = env.float("OCR_RETRY_BACKOFF_MAX_SECONDS", default=300.0)
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
STUCK_QUEUED_SECONDS = env.int("STUCK_QUEUED_SECONDS", default=300)
STUCK_PROCESSING_SECONDS = env.int("STUCK_PROCESSING_SECONDS", default=OCR_TIME_LIMIT * 2 + 60)

# BULI2 partner (used by the reviews app)
BULI2_API_URL = env.str("BULI2_API_URL", default="")
BULI2_API_KEY = env.str("BULI2_API_KEY", default="")
BULI2_SIGNATURE_SECRET = env.str(
    "BULI2_SIGNATURE_SECRET", default="" if PRODUCTION else DEV_BULI2_SIGNATURE_SECRET
)
# Inbound (BULI2 -> FiLot) secret rotation: the previous secret is accepted until the expiry
# (an ISO 8601 datetime); without an expiry it is not accepted at all.
BULI2_SIGNATURE_SECRET_PREVIOUS = env.str("BULI2_SIGNATURE_SECRET_PREVIOUS", default="")
BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT = env.str(
    "BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT", default=""
)
BULI2_WEBHOOK_TOLERANCE_SECONDS = env.int("BULI2_WEBHOOK_TOLERANCE_SECONDS", default=300)
BULI2_INBOUND_EVENT_RETENTION_DAYS = max(
    30, env.int("BULI2_INBOUND_EVENT_RETENTION_DAYS", default=35)
)
# Outbound (FiLot -> BULI2) requests are signed with FiLot's own secret, never BULI2's.
DEV_BULI2_OUTBOUND_SIGNATURE_SECRET = "filot-dev-outbound-signature-secret-do-not-use-00"  # noqa: S105
BULI2_OUTBOUND_SIGNATURE_SECRET = env.str(
    "BULI2_OUTBOUND_SIGNATURE_SECRET",
    default="" if PRODUCTION else DEV_BULI2_OUTBOUND_SIGNATURE_SECRET,
)
# Where BULI2 sends decisions: from configuration, never from a request.
BULI2_CALLBACK_URL = env.str(
    "BULI2_CALLBACK_URL", default=f"http://localhost:{PORT}/api/v1/partners/buli2/callbacks/"
)
BULI2_CONNECT_TIMEOUT = env.float("BULI2_CONNECT_TIMEOUT", default=3.0)
BULI2_READ_TIMEOUT = env.float("BULI2_READ_TIMEOUT", default=10.0)
BULI2_RETRY_BASE_SECONDS = env.float("BULI2_RETRY_BASE_SECONDS", default=30.0)
BULI2_RETRY_MAX_SECONDS = env.float("BULI2_RETRY_MAX_SECONDS", default=3600.0)
BULI2_RETRY_WINDOW_SECONDS = env.float("BULI2_RETRY_WINDOW_SECONDS", default=24 * 3600.0)
BULI2_DISPATCH_LEASE_SECONDS = env.float("BULI2_DISPATCH_LEASE_SECONDS", default=300.0)
BULI2_LEASE_MARGIN_SECONDS = env.float("BULI2_LEASE_MARGIN_SECONDS", default=30.0)
BULI2_BREAKER_FAIL_MAX = env.int("BULI2_BREAKER_FAIL_MAX", default=5)
BULI2_BREAKER_RESET_SECONDS = env.float("BULI2_BREAKER_RESET_SECONDS", default=60.0)
BULI2_SWEEP_INTERVAL_SECONDS = env.float("BULI2_SWEEP_INTERVAL_SECONDS", default=30.0)

# Metrics and health
METRICS_ENABLED = env.bool("METRICS_ENABLED", default=True)
# With a token, /metrics answers only ``Authorization: Bearer <METRICS_TOKEN>`` (Prometheus'
# ``authorization`` scrape setting). In production /metrics stays closed (404) until one is set.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# /health names each dependency and the partner's state only for the service key
# (``X-Service-Key``) in production; anyone else gets the status alone.
HEALTH_DETAILS_PUBLIC = env.bool("HEALTH_DETAILS_PUBLIC", default=not PRODUCTION)
PROMETHEUS_EXPORT_MIGRATIONS = False

# Celery: Redis broker when REDIS_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (Queue("default"), Queue("ocr_gpu"), Queue("partner"))
CELERY_TASK_ROUTES = {
    "ocr_gpu.tasks.*": {"queue": "ocr_gpu"},
    "workflows.tasks.*": {"queue": "default"},
    "reviews.tasks.deliver_*": {"queue": "partner"},
    "reviews.partner.tasks.*": {"queue": "partner"},
    "reviews.tasks.*": {"queue": "default"},
}
# A message not acknowledged within this window is redelivered; it must exceed the
# longest task time limit so a slow task is not run twice by a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    "max_retries": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-documents": {
        "task": "workflows.tasks.sweep_stuck_documents",
        "schedule": env.int("SWEEP_INTERVAL_SECONDS", default=60),
    },
    "sweep-partner-outbox": {
        "task": "reviews.partner.tasks.sweep_outbox",
        "schedule": BULI2_SWEEP_INTERVAL_SECONDS,
    },
    "sample-qa-cases": {
        "task": "reviews.tasks.sample_qa_cases",
        "schedule": QA_SAMPLE_INTERVAL_SECONDS,
    },
}

# Internationalisation
LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security. `manage.py check --deploy --fail-level WARNING` is clean in production
# (filot/tests/test_security.py).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The header (and its value "https") by which the TLS-terminating proxy says the client
    # came over HTTPS; empty when FiLot is reached directly. Trust it only behind a proxy that
    # sets or strips it, or a client could claim HTTPS on a plain connection.
    _proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", default="HTTP_X_FORWARDED_PROTO")
    if _proxy_ssl_header:
        SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health", r"^metrics$"]

# Content-Security-Policy (django-csp) on every response: scripts, styles, images and requests
# from FiLot's own origin only, no inline script or style. The console's script and styles
# are static files (reviews/static/reviews/); so is the API docs page's (filot/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the SVG icons inside the admin's and Swagger UI's stylesheets.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Where browsers report violations (optional). Not named CSP_REPORT_URI: django-csp 4's
# system check refuses its old-style CSP_* settings.
_csp_report_uri = env.str("CSP_REPORT_URI", default="")
if _csp_report_uri:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [_csp_report_uri]

# Logging: JSON lines with the request id; a filter masks NIK-like numbers, tokens and secrets.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "filot.logging.RequestIdFilter"},
        "redact": {"()": "filot.logging.RedactionFilter"},
    },
    "formatters": {
        "json": {
            "()": "filot.logging.JsonFormatter",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
    },
}
