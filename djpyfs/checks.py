"""System checks: ``manage.py check`` reports a bad ``DJFS``, or bad options
of a ``PyFSStorage`` in ``STORAGES``, before use."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from djpyfs import conf

_S3_MODULES = ("boto3", "fs_s3fs")


@checks.register(checks.Tags.compatibility)
def check_djfs_setting(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if getattr(settings, "DJFS", None) is None and not settings.MEDIA_ROOT:
        # Not an error: a project may install djpyfs before configuring it,
        # and migrate must still run.  Using a filesystem then raises.
        return [
            checks.Warning(
                "DJFS is not set and MEDIA_ROOT is empty, so djpyfs has "
                "nowhere to store files.",
                hint="Set DJFS, or MEDIA_ROOT (files then go to MEDIA_ROOT/djpyfs).",
                id="djpyfs.W002",
            )
        ]
    try:
        config = conf.get_config()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="See the 'Settings' section of djpyfs's README.",
                id="djpyfs.E001",
            )
        ]
    messages: list[checks.CheckMessage] = []
    if config.unknown_keys:
        messages.append(
            checks.Warning(
                f"DJFS has keys djpyfs does not use for type {config.type!r}: "
                f"{', '.join(config.unknown_keys)}.",
                hint="Check their spelling; they are ignored.",
                id="djpyfs.W001",
            )
        )
    if isinstance(config, conf.OSFSConfig):
        from djpyfs.backends.local import directory_root_problem

        problem = directory_root_problem(config.directory_root)
        if problem is not None:
            messages.append(
                checks.Error(
                    f"DJFS['directory_root']: {problem}.",
                    hint="Point it at a directory the site may write to.",
                    id="djpyfs.E003",
                )
            )
    if isinstance(config, conf.S3Config):
        missing = [
            name for name in _S3_MODULES if importlib.util.find_spec(name) is None
        ]
        if missing:
            messages.append(
                checks.Error(
                    f"DJFS type 's3fs' needs {', '.join(missing)}.",
                    hint="pip install 'djpyfs[s3]'",
                    id="djpyfs.E002",
                )
            )
    return messages


@checks.register(checks.Tags.compatibility)
def check_storages_options(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Build each ``PyFSStorage`` of ``STORAGES`` as Django will on first use."""
    from djpyfs.storage import PyFSStorage

    messages: list[checks.CheckMessage] = []
    for alias, entry in (getattr(settings, "STORAGES", None) or {}).items():
        try:
            backend = import_string(entry["BACKEND"])
        except (ImportError, KeyError, TypeError):
            continue  # not ours to report: Django says so on first use
        if not (isinstance(backend, type) and issubclass(backend, PyFSStorage)):
            continue
        try:
            backend(**entry.get("OPTIONS", {}))
        except (ImproperlyConfigured, TypeError) as exc:
            messages.append(
                checks.Error(
                    f"STORAGES[{alias!r}]: {exc}",
                    hint="PyFSStorage takes namespace, url_timeout and "
                    "allow_overwrite; see the README's 'Django storage' section.",
                    id="djpyfs.E004",
                )
            )
    return messages
