"""``manage.py djpyfs_expire``: remove expired files (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from djpyfs.expiry import BATCH_SIZE, sweep


class Command(BaseCommand):
    help = "Remove every file whose expiry has passed, in every namespace."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Files removed per database transaction (default {BATCH_SIZE}).",
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        result = sweep(batch_size=batch_size)
        self.stdout.write(
            f"Removed {result.removed} expired files; {result.failed} failed."
        )
        if result.failed:
            # A non-zero exit makes cron (and monitoring) report the failures;
            # their rows are kept for the next run.
            raise CommandError(f"{result.failed} expired files could not be removed.")
