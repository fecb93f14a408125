"""Hémicycle settings: one file, read top to bottom, every value from the environment.

Defaults work on a laptop with no `.env` at all (`make demo`). Every variable read
here is listed in `.env.example`; a test fails when one is missing.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the file named by NAME_FILE (Docker/systemd credentials)."""
    path = os.getenv(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.getenv(name, default)


# Under pytest: fast hashers, immediate tasks, plain static storage.
TESTING = envbool("TESTING", "1" if "pytest" in sys.modules else "0")

DEBUG = envbool("DEBUG", "True")
SECRET_KEY = envsecret("SECRET_KEY", "dev-only-not-secret-change-me-in-production-0123456789")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.getenv("SITE_NAME", "Hémicycle")
VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "hemicycle.core",
    "hemicycle.accounts",
    "hemicycle.audit",
    "hemicycle.territory",
    "hemicycle.elected",
    "hemicycle.juries",
    "hemicycle.council",
    "hemicycle.writings",
    "hemicycle.actors",
    "hemicycle.publishing",
    "hemicycle.newsletters",
    "hemicycle.mediawatch",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hemicycle.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hemicycle.audit.middleware.AuditActorMiddleware",
]

ROOT_URLCONF = "hemicycle.urls"
WSGI_APPLICATION = "hemicycle.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hemicycle.core.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite under var/ by default, anything else through DATABASE_URL
# (postgres://user:password@host:5432/name).
DATABASE_URL = envsecret("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "hemicycle.sqlite3",
            "OPTIONS": {
                # WAL with synchronous=NORMAL: safe from corruption, far fewer fsyncs;
                # a 64 MB page cache keeps the indexes of big tables (actors, search) in
                # memory during imports.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; "
                                "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["hemicycle.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# Login rate limiting: this many failures per e-mail or per IP within the window.
LOGIN_MAX_FAILURES = envint("LOGIN_MAX_FAILURES", "5")
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", "900")  # seconds
INVITATION_DAYS = envint("INVITATION_DAYS", "14")

# Sessions and cookies: secure by default outside DEBUG.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(60 * 60 * 24 * 14))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE = envbool("SECURE", "False" if DEBUG else "True")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and envbool("SECURE_SSL_REDIRECT", "True")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if SECURE else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_PROXY", "False"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Languages: French by default, English available.
LANGUAGE_CODE = os.getenv("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# Static and uploaded files.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: printed to the console until SMTP is configured.
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "False")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Hémicycle <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
ADMINS = [("Admin", email) for email in envlist("ADMINS", "")]

# Background tasks: the database queue, drained by `hemicycle db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Map tiles are optional: with no URL the maps show boundaries only (works offline).
MAP_TILE_URL = os.getenv("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.getenv("MAP_TILE_ATTRIBUTION", "")

# Publishing: the key that encrypts channel credentials at rest (Fernet). Defaults to
# one derived from SECRET_KEY; setting it later keeps the old secrets readable.
HEMICYCLE_CREDENTIALS_KEY = envsecret("HEMICYCLE_CREDENTIALS_KEY", "")

# Writings: optional drafting help from an OpenAI-compatible endpoint (off while the URL
# is empty; nothing else needs it). The URL is the API base, e.g. http://127.0.0.1:8080/v1.
HEMICYCLE_LLM_URL = os.getenv("HEMICYCLE_LLM_URL", "").rstrip("/")
HEMICYCLE_LLM_MODEL = os.getenv("HEMICYCLE_LLM_MODEL", "")
HEMICYCLE_LLM_API_KEY = envsecret("HEMICYCLE_LLM_API_KEY", "")
HEMICYCLE_LLM_TIMEOUT = envint("HEMICYCLE_LLM_TIMEOUT", "60")

# Actors: people with no interaction for this many years are listed, warned, then purged.
ACTORS_RETENTION_YEARS = envint("ACTORS_RETENTION_YEARS", "3")

# Newsletters: sending rate (0: no limit), the envelope sender where bounces (DSNs)
# arrive, and the IMAP mailbox read by `hemicycle fetch_bounces` (off while empty).
NEWSLETTER_RATE_PER_SECOND = os.getenv("NEWSLETTER_RATE_PER_SECOND", "10")
NEWSLETTER_RATE_PER_HOUR = os.getenv("NEWSLETTER_RATE_PER_HOUR", "0")
NEWSLETTER_BOUNCE_ADDRESS = os.getenv("NEWSLETTER_BOUNCE_ADDRESS", "")
NEWSLETTER_IMAP_HOST = os.getenv("NEWSLETTER_IMAP_HOST", "")
NEWSLETTER_IMAP_PORT = os.getenv("NEWSLETTER_IMAP_PORT", "993")
NEWSLETTER_IMAP_USER = os.getenv("NEWSLETTER_IMAP_USER", "")
NEWSLETTER_IMAP_PASSWORD = envsecret("NEWSLETTER_IMAP_PASSWORD", "")
NEWSLETTER_IMAP_FOLDER = os.getenv("NEWSLETTER_IMAP_FOLDER", "INBOX")
NEWSLETTER_IMAP_SSL = os.getenv("NEWSLETTER_IMAP_SSL", "1")

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING" if TESTING else "INFO"}},
}
