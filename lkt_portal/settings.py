"""Django settings for the LKT portal; every deployment-specific value comes from `env.py`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lkt_portal.env import (
    BASE_DIR,
    DEBUG,
    DEFAULT_DATABASE_URL,
    RUN_DIR,
    broker_url,
    env,
    filesystem_broker_options,
    rate,
    secret_key,
)

SECRET_KEY = secret_key()
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "rules",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "auditlog",
    "csp",
    # Ours, from the bottom up: what every app uses, the domain, then the apps that compose it.
    "core",
    "accounts",
    "programmes",
    "teams",
    "seminars",
    "indicators",
    "people",
    "status",
    "reminders",
    "demo",
    "learning",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lkt_portal.middleware.DanishFirstLocaleMiddleware",
    # Every error under /api/ as RFC 9457 problem+json, whichever layer below answered it.
    "api.middleware.ProblemMiddleware",
    "lkt_portal.middleware.RefuseNullBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.DeniedTrailMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lkt_portal.urls"
WSGI_APPLICATION = "lkt_portal.wsgi.application"
ASGI_APPLICATION = "lkt_portal.asgi.application"

TEMPLATES = [
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
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=DEFAULT_DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    RUN_DIR.mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.CachedModelBackend",
]
PASSWORD_HASHERS = [
    "accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "lkt_portal" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
# Dates in one style per language: lkt_portal/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["lkt_portal.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (seminar materials): never under the static files, never served by URL; only
# `seminars:material_download` hands them out. Production may use an S3-compatible store (README).
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need `collectstatic` first; production images run it, development does not.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env("STATIC_MANIFEST")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Development and tests serve from the source folders; production from collected files.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or env.bool("TESTING", default=False)

# Uploads of indicator data (indicators/importer/limits.py).
LKT_UPLOAD_MAX_BYTES = env.int("LKT_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
LKT_UPLOAD_MAX_ROWS = env.int("LKT_UPLOAD_MAX_ROWS", default=20_000)
LKT_UPLOAD_PREVIEW_SECONDS = env.int("LKT_UPLOAD_PREVIEW_SECONDS", default=2 * 3600)

# The steering overview's rendered table is reused for at most this long (status/cache.py).
LKT_STATUS_CACHE_SECONDS = env.int("LKT_STATUS_CACHE_SECONDS", default=60)

# Rate limits (accounts/ratelimit.py), requests per seconds: PDFs and exports per person,
# password-reset mails per address and per client, invitation mails per inviter. Counted in the
# "ratelimit" cache, which is Redis whenever there is one, so all web workers share the count.
LKT_RATE_LIMITS = {
    "pdf": rate("LKT_RATE_LIMIT_PDF", "10/60"),
    "export": rate("LKT_RATE_LIMIT_EXPORT", "30/60"),
    "password_reset_address": rate("LKT_RATE_LIMIT_RESET_ADDRESS", "3/3600"),
    "password_reset_client": rate("LKT_RATE_LIMIT_RESET_CLIENT", "20/3600"),
    "invitation": rate("LKT_RATE_LIMIT_INVITATIONS", "60/3600"),
    # API requests per personal access token (api/auth.py).
    "api": rate("LKT_RATE_LIMIT_API", "600/60"),
}
# The default cache holds sessions (`cached_db`), each person's roles (accounts/roles.py), the
# rendered charts and the overview's table: Redis in production, shared by every web worker; a
# stopped Redis makes it miss, not fail (core/cache.py). Without Redis: this process's memory for
# development and tests, else a folder, so that several workers still share one cache.
if env("REDIS_URL"):
    DEFAULT_CACHE = {
        "BACKEND": "core.cache.TolerantRedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": "lkt",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
elif DEBUG or env.bool("TESTING", default=False):
    DEFAULT_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    DEFAULT_CACHE = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(RUN_DIR / "cache"),
    }
CACHES = {
    "default": DEFAULT_CACHE,
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": "lkt-ratelimit",
    }
    if env("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
    # Each worker's copies of parts kept under a versioned key (core.cache.versioned_get), in
    # front of Redis: at most 100 parts (some are half a megabyte). Without Redis the default
    # cache is already local (memory or a folder) and this layer is off.
    "versioned": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "versioned",
        "OPTIONS": {"MAX_ENTRIES": 100},
    }
    if env("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}

# Reminders (reminders/config.py): the portal's address in e-mails, when a claim counts as
# abandoned, how often a send is tried and the first wait between tries (the tests shorten them).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
REMINDERS_CLAIM_TIMEOUT = env.int("REMINDERS_CLAIM_TIMEOUT", default=600)
REMINDERS_MAX_ATTEMPTS = env.int("REMINDERS_MAX_ATTEMPTS", default=5)
REMINDERS_RETRY_BACKOFF = env.int("REMINDERS_RETRY_BACKOFF", default=60)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="LKT-portalen <noreply@lkt.example.dk>")

# Celery: Redis in production, a folder on disk when no Redis is configured.
CELERY_BROKER_URL = broker_url()
CELERY_BROKER_TRANSPORT_OPTIONS = (
    filesystem_broker_options() if CELERY_BROKER_URL.startswith("filesystem") else {}
)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or env("REDIS_URL") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(RUN_DIR / "celerybeat-schedule")

# Production hardening (OWASP ASVS level 2); `manage.py check --deploy` reads these. Behind
# the TLS-terminating proxy, which sets X-Forwarded-Proto. Plain-HTTP setups on loopback
# (benchmarks, load tests) turn the redirect and secure cookies off through the environment.
SECURE = not DEBUG
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=SECURE)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP inside
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions read from the cache and written through to the database: no query per request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600  # the cookie; the portal's own limits are below
LKT_SESSION_IDLE_SECONDS = env.int("LKT_SESSION_IDLE_SECONDS", default=30 * 60)
LKT_SESSION_ABSOLUTE_SECONDS = env.int("LKT_SESSION_ABSOLUTE_SECONDS", default=10 * 3600)
LKT_ENFORCE_2FA = env.bool("LKT_ENFORCE_2FA", default=SECURE)
OTP_TOTP_ISSUER = "LKT-portalen"

# Login throttling (django-axes): 5 wrong passwords for one e-mail from one address → 15 min.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Proxies in front (each appends to X-Forwarded-For); accounts/security.py finds the client
# with django-ipware from this count, for the trail, the audit log and the lockouts alike.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_VERBOSE = False

# Content Security Policy: everything from our own origin, no inline scripts or styles.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Fields never written to the audit trail (core/audit.py registers each app's models).
AUDIT_EXCLUDED_FIELDS = ["password", "last_login", "token_hash", "updated_at"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Axes logs every successful login at INFO; the security trail has them already.
    "loggers": {"axes": {"level": "WARNING"}},
}
