"""Django settings for djpyfs's test suite.

The database is SQLite unless ``DJPYFS_TEST_DB`` names another:
``postgres`` (127.0.0.1:5432, database ``test``) or ``mariadb``
(127.0.0.1:3306, root).
"""

import os
import tempfile

SECRET_KEY = "djpyfs-tests-not-secret"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "tests.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "djpyfs",
    "tests.testapp",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
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

_DB = os.environ.get("DJPYFS_TEST_DB", "sqlite")
if _DB == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "127.0.0.1",
            "PORT": 5432,
            "NAME": "test",
            "USER": os.environ.get("DJPYFS_PG_USER", "postgres"),
            "TEST": {"NAME": f"test_djpyfs_{os.getpid()}"},
        }
    }
elif _DB == "mariadb":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "HOST": "127.0.0.1",
            "PORT": 3306,
            "NAME": "test",
            "USER": "root",
            "PASSWORD": "",
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {
                "NAME": f"test_djpyfs_{os.getpid()}",
                "CHARSET": "utf8mb4",
                "COLLATION": "utf8mb4_unicode_ci",
            },
        }
    }
elif _DB == "sqlite":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(tempfile.gettempdir(), "djpyfs-tests.sqlite3"),
            # A file, not Django's shared in-memory database: that one answers
            # concurrent writers "table is locked" at once instead of waiting,
            # which is not how a site's SQLite database behaves.
            "TEST": {
                "NAME": os.path.join(
                    tempfile.gettempdir(), f"djpyfs-test-{os.getpid()}.sqlite3"
                )
            },
        }
    }
else:
    raise RuntimeError(f"DJPYFS_TEST_DB={_DB!r}: use sqlite, postgres or mariadb")

# Tests set DJFS per test; this default keeps files out of the source tree.
MEDIA_ROOT = tempfile.mkdtemp(prefix="djpyfs-media-")
MEDIA_URL = "/media/"
DJFS = {"type": "mem"}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_URL = "/static/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"djpyfs": {"handlers": ["console"], "level": "WARNING"}},
}
