"""The smallest Django site using an installed djpyfs (see smoke.py)."""

import os

BASE = os.path.dirname(os.path.abspath(__file__))

SECRET_KEY = "djpyfs-packaging-smoke-test"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True
ROOT_URLCONF = "urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "djpyfs"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(BASE, "db.sqlite3"),
    }
}
DJFS = {"type": "osfs", "directory_root": os.path.join(BASE, "files")}
