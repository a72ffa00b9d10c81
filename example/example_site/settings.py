"""Settings of djpyfs's example site.

Local by default: SQLite and files under ``example/var/`` (or
``$DJPYFS_EXAMPLE_VAR``).  The files are on local disk *without* a
``url_root``, so every URL djpyfs hands out is a signed, expiring URL served
by djpyfs's view (``/files/...``): nothing under ``var/`` is reachable
otherwise, and a chart's URL stops working when its lifetime ends, as it
would on S3.

Setting ``DJPYFS_EXAMPLE_S3_BUCKET`` switches ``DJFS`` to S3 and nothing
else changes (see the README, "The example site").

Not for production: the secret key is fixed and DEBUG is on by default.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJPYFS_EXAMPLE_VAR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite creates files, not folders

SECRET_KEY = os.environ.get(
    "DJPYFS_EXAMPLE_SECRET_KEY", "djpyfs-example-not-secret-change-me"
)
DEBUG = os.environ.get("DJPYFS_EXAMPLE_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "djpyfs",
    "gallery",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "example_site.urls"
WSGI_APPLICATION = "example_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "static/"

_S3_BUCKET = os.environ.get("DJPYFS_EXAMPLE_S3_BUCKET")
if _S3_BUCKET:
    # Credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY, ~/.aws, an instance role...).
    DJFS = {
        "type": "s3fs",
        "bucket": _S3_BUCKET,
        "prefix": os.environ.get("DJPYFS_EXAMPLE_S3_PREFIX", "djpyfs-example"),
        "region": os.environ.get("AWS_DEFAULT_REGION"),
        "endpoint_url": os.environ.get("DJPYFS_EXAMPLE_S3_ENDPOINT_URL"),
    }
else:
    DJFS = {"type": "osfs", "directory_root": str(VAR_DIR / "files")}

#: How long a chart lives, in seconds: its URL and its file.
CHART_SECONDS = int(os.environ.get("DJPYFS_EXAMPLE_CHART_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # INFO shows each sweep: how many files it removed.
    "loggers": {"djpyfs": {"handlers": ["console"], "level": "INFO"}},
}
