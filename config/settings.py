"""Lodestar settings. Every value that differs between deployments comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """A string from the environment; NAME_FILE (a path) wins, for container secrets."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    # An empty value (NAME= in an env file) means "not set", as for the other helpers.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value (use 1 or 0).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Production refuses to start on a missing or well-known key; development gets a fixed one
# so sessions survive restarts of `make run`.
INSECURE_DEV_KEY = "django-insecure-lodestar-development-only"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value (python -c "
            "'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=1 for development."
        )
    SECRET_KEY = INSECURE_DEV_KEY
elif not DEBUG and (SECRET_KEY == INSECURE_DEV_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 32 random characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The apps of the domain: what people edit in them is recorded in the audit trail.
DOMAIN_APPS = [
    "accounts",
    "missions",
    "canvas",
    "stakeholders",
    "rewards",
    "participation",
    "evaluation",
    "portfolios",
    "documents",
]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    *DOMAIN_APPS,
    "backups",
    "auditlog",
    "audit",
    "inbox",
    "api",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /healthz answers before sessions and sign-in, so it still says what is down when the
    # database is (config/health.py).
    "config.health.HealthzMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The person's language, else the browser's, else their organisation's (accounts/languages.py):
    # after sign-in is known, before any view or error page speaks.
    "accounts.middleware.PreferredLanguageMiddleware",
    # django-otp's OTPMiddleware, remembering a verified session (accounts/middleware.py).
    "accounts.middleware.RememberingOTPMiddleware",
    # Query parameters, form fields and headers no text holds (NUL, …) are answered 400 here,
    # naming the field, before any view can turn them into a database error (config/inputs.py).
    "config.boundary.InputBoundaryMiddleware",
    # A participant's session (a member of the public) reaches the public pages only: any
    # other page answers 404 before LoginRequiredMiddleware would offer the staff sign-in.
    "participation.middleware.ParticipantBoundaryMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A request to /api/v1/ with an API token acts as that token's user (api/middleware.py).
    "api.middleware.ApiTokenMiddleware",
    # The signed-in user becomes the actor of every audit entry the request writes.
    "auditlog.middleware.AuditlogMiddleware",
    # Every file a signed-in user downloads is an audit event.
    "audit.middleware.DownloadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Leads and administrators, and anyone who has set up an authenticator app, pass a code first.
    "accounts.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # |in_sentence (config/wording.py) wherever a label sits inside a sentence.
            "builtins": ["config.templatetags.wording"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.memberships",
            ],
        },
    },
]
FORM_RENDERER = "config.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------
# Without DATABASE_URL / REDIS_URL, development and tests use embedded servers under .data/;
# a production process (DEBUG off) must be told where its database and broker are.
ALLOW_EMBEDDED = env_bool("LODESTAR_ALLOW_EMBEDDED", DEBUG)
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL and not ALLOW_EMBEDDED:
    raise ImproperlyConfigured("DATABASE_URL is not set (postgres://user:password@host:5432/name).")
if not DATABASE_URL:
    from config import embedded

    DATABASE_URL = embedded.postgres_url()
    os.environ["DATABASE_URL"] = DATABASE_URL  # child processes (workers) join the same server
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Lodestar needs PostgreSQL: DATABASE_URL must start postgres://.")
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis and Celery -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if not REDIS_URL and not ALLOW_EMBEDDED:
    raise ImproperlyConfigured("REDIS_URL is not set (redis://host:6379/0).")
if not REDIS_URL:
    from config import embedded

    REDIS_URL = embedded.redis_url()

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How long kept pack pages, stamps and superseded briefing pieces stay unused before the
# nightly job removes them (documents.retention).
DOCUMENTS_KEEP_DAYS = env_int("DOCUMENTS_KEEP_DAYS", 30)
# How much lower a Celery worker's CPU priority is than the web's (config/celery.py): 10 gives
# a busy web worker about nine times the CPU share of a busy Celery process.
WORKER_NICENESS = env_int("WORKER_NICENESS", 10)
# Workers keep their database connection between tasks (config/celery.py closes old or broken
# ones as a web request does); Celery's own per-task close is put out of reach.
CELERY_DB_REUSE_MAX = 1_000_000_000
CELERY_TASK_DEFAULT_QUEUE = "default"
# Renders ahead of a click (documents.ahead) wait on a queue of their own, which pdf workers
# also consume, so a click never queues behind them.
# A pack's pieces and renders ahead carry lower priorities within their queues (below).
CELERY_TASK_ROUTES = {
    "documents.tasks.render_ahead_task": {"queue": "pdf_ahead", "priority": 9},
    "documents.tasks.render_piece_task": {"queue": "pdf", "priority": 5},
    "documents.tasks.*": {"queue": "pdf"},
}
# Priorities within a queue. kombu's Redis transport keeps one list per step ("pdf", "pdf:5",
# "pdf:9") and a worker takes from the lowest number first: a click's render, a pack's own task
# and its assembly go at 0 (the default), ahead of a pack's pieces at 5 (so a pack's own pages
# are laid out while its pieces are made, and one click does not wait behind twenty pieces),
# and renders ahead of a click at 9 (CELERY_TASK_ROUTES above).
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# The longest a task is held back before it runs: a retry's backoff (accounts.tasks,
# evaluation.tasks cap it at 600 s).
CELERY_LONGEST_COUNTDOWN = 600
# A message a worker took and never acknowledged (the worker was killed) comes back to the
# queue after the visibility timeout: Redis' default is an hour, so a pack whose worker died
# waited an hour. It must exceed the longest a task can run and the longest a worker holds a
# message before running it (a countdown), or a task still running or waiting would be
# delivered twice (an e-mail sent twice).
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
    "priority_steps": [0, 5, 9],
    "sep": ":",
    "visibility_timeout": max(CELERY_TASK_TIME_LIMIT, CELERY_LONGEST_COUNTDOWN) + 300,
}
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log JSON through LOGGING like the web
CELERY_BEAT_SCHEDULE = {
    # Re-assess every mission at night: rules also read other missions (how many a unit owns),
    # and thresholds may have changed.
    "reassess-missions-nightly": {
        "task": "evaluation.tasks.reassess_missions_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Flag indicators whose next value is overdue for their frequency (shown to their owners).
    "mark-overdue-indicators-nightly": {
        "task": "evaluation.tasks.mark_overdue_indicators_task",
        "schedule": crontab(hour=3, minute=15),
    },
    # Kept pack pages, stamps and superseded briefing pieces nobody used for a while
    # (documents.retention).
    "prune-kept-documents-nightly": {
        "task": "documents.tasks.prune_kept_task",
        "schedule": crontab(hour=4, minute=0),
    },
    # One e-mail per person who chose the daily digest of their notifications (inbox/).
    "send-notification-digests-daily": {
        "task": "inbox.tasks.send_daily_digests_task",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- API (api/) -----------------------------------------------------------------------------
# Calls one token may make per minute before the API answers 429 with Retry-After.
API_CALLS_PER_MINUTE = env_int("API_CALLS_PER_MINUTE", 600)
# Webhooks (api/webhooks.py): the waits before each retry of a failed delivery, in seconds
# (1 min, 5 min, 30 min, 2 h, 12 h), and how many deliveries in a row may fail every try
# before the endpoint is disabled. Plain http:// addresses only where allowed (development).
WEBHOOK_RETRY_SECONDS = [
    int(s) for s in env_list("WEBHOOK_RETRY_SECONDS", "60,300,1800,7200,43200")
]
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 5)
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", DEBUG)

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out e-mail address and IP address never reach the password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# Failed sign-ins (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one e-mail address
# from one IP address, that pair is locked out for AXES_COOLOFF_MINUTES. Failures live in the
# database, so every web process sees them.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor authentication (django-otp, TOTP authenticator apps). The issuer is the name the
# app shows next to the code.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Lodestar")
OTP_TOTP_THROTTLE_FACTOR = 1

# Single sign-on with OpenID Connect (mozilla-django-oidc), on when OIDC_RP_CLIENT_ID is set.
# Endpoints come from the provider's discovery document (OIDC_OP_DISCOVERY: the issuer URL) or
# are given one by one. README "Accounts and sign-in" describes the organisation and role mapping.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your organisation's account")
OIDC_OP_DISCOVERY = env_str("OIDC_OP_DISCOVERY")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_ORGANISATION_CLAIM = env_str("OIDC_ORGANISATION_CLAIM", "organisation")
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM", "lodestar_role")
# "health.example.gov=health,transport.example.gov=transport": e-mail domain → organisation slug.
OIDC_EMAIL_DOMAIN_ORGANISATIONS = dict(
    item.split("=", 1) for item in env_list("OIDC_EMAIL_DOMAIN_ORGANISATIONS") if "=" in item
)
OIDC_DEFAULT_ROLE = env_str("OIDC_DEFAULT_ROLE", "viewer")
if OIDC_DEFAULT_ROLE not in {"viewer", "editor", "reviewer", "lead", "admin"}:
    raise ImproperlyConfigured(
        f"OIDC_DEFAULT_ROLE={OIDC_DEFAULT_ROLE!r}: use viewer, editor, reviewer, lead or admin."
    )
OIDC_REQUIRE_EMAIL_VERIFIED = env_bool("OIDC_REQUIRE_EMAIL_VERIFIED", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
if OIDC_RP_CLIENT_ID:
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OIDC_RP_CLIENT_ID is set but OIDC_RP_CLIENT_SECRET is not.")
    if not OIDC_OP_DISCOVERY and not (
        OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_USER_ENDPOINT
    ):
        raise ImproperlyConfigured(
            "Single sign-on needs OIDC_OP_DISCOVERY (the provider's issuer URL) or "
            "OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_USER_ENDPOINT."
        )
    AUTHENTICATION_BACKENDS.append("accounts.oidc.LodestarOIDCBackend")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
        if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lodestar <no-reply@lodestar.invalid>")

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# A production process sits behind a TLS-terminating proxy (docs/deployment.md), so it is secure
# by default: forgetting a variable must not quietly drop HSTS, the HTTPS redirect and Secure
# cookies. Development (DEBUG) and the test suite (LODESTAR_ALLOW_EMBEDDED, set by
# config/settings_test.py) serve plain HTTP on localhost, where all of that would lock the
# browser out, so there it stays off unless HTTPS=1 asks for it.
PRODUCTION = not DEBUG and not ALLOW_EMBEDDED
HTTPS = env_bool("HTTPS", PRODUCTION)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Government domains are HTTPS-only throughout; opt out only for a shared parent domain.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _warn_at_start(message: str) -> None:
    """A warning while the settings load. Django applies LOGGING only after this module has
    run, so the line goes out through the same JSON formatter directly (logging's last-resort
    handler would print bare text), on stderr like every other line."""
    import logging

    from config.logging import JsonFormatter

    logger = logging.getLogger("config.settings")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.propagate = False  # a handler someone configured earlier would print it twice
    try:
        logger.warning(message)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


if PRODUCTION and not HTTPS:
    # Only an explicit HTTPS=0 gets here. A log line at every start, not a system check: the
    # deployment checks already name what is missing (security.W004, W008, W012, W016), and
    # gunicorn and the Celery workers never run checks, so their logs would not show it.
    _warn_at_start(
        "HTTPS=0: production is serving without HSTS, the HTTPS redirect and Secure cookies. "
        "Sign-ins and sessions can be read and stolen on the network. Remove HTTPS=0 once a "
        "TLS-terminating proxy that sets X-Forwarded-Proto is in front (docs/deployment.md).",
    )

# Django's admin (/admin/): staff who have passed two-factor only (config/urls.py). 0 removes it:
# every /admin/ URL answers 404.
LODESTAR_ADMIN = env_bool("LODESTAR_ADMIN", True)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# Each has a complete catalogue in locale/<code>/ (tests/test_translations.py keeps it so); which
# one a person sees: accounts/languages.py.
LANGUAGES = [
    ("en-gb", _("English")),
    ("es", _("Spanish")),
    ("nl", _("Dutch")),
    ("sv", _("Swedish")),
    ("fr", _("French")),
    ("de", _("German")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them; English keeps the month's full name (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names: browsers never keep stale CSS/JS after an upgrade.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Logging: one JSON object per line, so log shippers need no parsing rules ---------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
        "pgserver": {"level": "WARNING"},
    },
}

# --- Lodestar -------------------------------------------------------------------------------
LODESTAR_SERVICE_NAME = _("Lodestar")
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "lodestar-demo-2026")
# Printed in the header and footer of every PDF (a government security classification).
LODESTAR_PROTECTIVE_MARKING = env_str("LODESTAR_PROTECTIVE_MARKING", "OFFICIAL")
# The largest exchange file an import reads.
LODESTAR_IMPORT_MAX_BYTES = env_int("LODESTAR_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# A mission's assessment still queued after this many seconds lost its Celery message (Redis
# restarted empty): the next change sends it again (evaluation/services.py).
EVALUATION_RESEND_AFTER = env_int("EVALUATION_RESEND_AFTER", 120)
# /healthz (config/health.py) tells a caller presenting this token (Authorization: Bearer …),
# or calling from the machine itself, why a check failed; others only see what is up or down.
# Empty: no token opens the detail.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN")
# Calls to /healthz per second from one client address before it answers 429; 0: no limit.
HEALTHZ_RATE_LIMIT = env_int("HEALTHZ_RATE_LIMIT", 10)
# The site's own address, for links in e-mails sent by workers (which have no request).
LODESTAR_SITE_URL = env_str("LODESTAR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Audit trail (django-auditlog; models registered in audit/registry.py) -------------------
# Our own entry model carries the organisation and mission, so pages filter on indexed columns.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# django-auditlog's migrations would still create its own (unused) log table, whose foreign key
# to users then blocks test-database flushes; its only model is swapped out, so skip them.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_MASK_CALLABLE = "audit.registry.mask"
# Data minimisation: who and when is enough; we do not keep visitors' IP addresses.
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_STORE_JSON_CHANGES = True
