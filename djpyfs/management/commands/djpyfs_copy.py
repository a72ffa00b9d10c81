"""``manage.py djpyfs_copy SRC DST``: copy every file from one place to another.

Each side is written as one of:

- ``storage:<alias>``: an entry of ``settings.STORAGES`` (through StorageFS);
- ``djfs:<namespace>``: a DJFS namespace (``get_filesystem``);
- anything containing ``://``: a pyfilesystem FS URL (``osfs:///srv/media``,
  ``s3://bucket/prefix``, ``mem://``...).

Files already at the destination with the same size are skipped, so an
interrupted copy is resumed by running the command again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import fs.copy
from django.core.management.base import BaseCommand, CommandError
from fs.base import FS
from fs.errors import FSError
from fs.path import dirname

SYNTAX = "storage:<alias>, djfs:<namespace> or an FS URL containing '://'"


def open_location(spec: str, create: bool = False) -> FS:
    """Open one side of the copy, as described in the module docstring."""
    if "://" in spec:
        from fs import open_fs

        return open_fs(spec, create=create)
    kind, _, name = spec.partition(":")
    if kind == "storage" and name:
        from djpyfs.pyfs_from_storage import StorageFS

        return StorageFS(name)
    if kind == "djfs" and name:
        from djpyfs.filesystem import get_filesystem

        return get_filesystem(name)
    raise CommandError(f"{spec!r} is not a location: use {SYNTAX}.")


@dataclass
class Plan:
    """What to copy: files with sizes, files skipped, directories to make."""

    copy: list[tuple[str, int]] = field(default_factory=list)
    skipped: int = 0
    dirs: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(size for _path, size in self.copy)


def make_plan(src: FS, dst: FS) -> Plan:
    """Walk both sides once (one listing per 1,000 keys on S3) and compare."""
    present = {
        path: info.size
        for path, info in dst.walk.info(namespaces=["details"])
        if info.is_file
    }
    plan = Plan()
    for path, info in src.walk.info(namespaces=["details"]):
        if info.is_dir:
            plan.dirs.append(path)
        elif present.get(path) == info.size:
            plan.skipped += 1
        else:
            plan.copy.append((path, info.size))
    return plan


class Progress:
    """A one-line progress bar on a terminal: files and bytes done."""

    def __init__(self, stream: Any, plan: Plan, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.files_total = len(plan.copy)
        self.bytes_total = plan.total_bytes
        self.files = 0
        self.bytes = 0

    def advance(self, size: int) -> None:
        self.files += 1
        self.bytes += size
        if not self.enabled:
            return
        fraction = self.bytes / self.bytes_total if self.bytes_total else 1.0
        bar = ("#" * int(fraction * 30)).ljust(30)
        self.stream.write(
            f"\r[{bar}] {self.files}/{self.files_total} files, "
            f"{_human(self.bytes)}/{_human(self.bytes_total)}",
            ending="",
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.files_total:
            self.stream.write("")


def _human(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TiB"


class Command(BaseCommand):
    help = (
        "Copy every file from SRC to DST, skipping files already there with "
        f"the same size. Each side is {SYNTAX}."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("src", help=f"where to copy from: {SYNTAX}")
        parser.add_argument("dst", help=f"where to copy to: {SYNTAX}")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list what would be copied without copying anything",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="show the progress bar even when stderr is not a terminal",
        )

    def handle(self, *args: Any, src: str, dst: str, **options: Any) -> None:
        try:
            src_fs, dst_fs = open_location(src), open_location(dst, create=True)
        except FSError as exc:
            raise CommandError(f"Cannot open {src} or {dst}: {exc}") from exc
        try:
            plan = make_plan(src_fs, dst_fs)
        except FSError as exc:
            raise CommandError(f"Cannot list {src} or {dst}: {exc}") from exc

        if options["dry_run"]:
            for path, size in plan.copy:
                self.stdout.write(f"would copy {path} ({_human(size)})")
            self.stdout.write(
                f"Dry run: {len(plan.copy)} files ({_human(plan.total_bytes)}) "
                f"to copy, {plan.skipped} skipped."
            )
            return

        progress = Progress(
            self.stderr, plan, options["progress"] or self.stderr.isatty()
        )
        failed = self._copy(src_fs, dst_fs, plan, progress)
        progress.finish()
        copied = len(plan.copy) - len(failed)
        self.stdout.write(
            f"Copied {copied} files, skipped {plan.skipped}, failed {len(failed)}."
        )
        if failed:
            raise CommandError(f"{len(failed)} files could not be copied.")

    def _copy(self, src_fs: FS, dst_fs: FS, plan: Plan, progress: Progress) -> list:
        failed: list[str] = []
        made: set[str] = set()
        for path in plan.dirs:
            dst_fs.makedirs(path, recreate=True)
            made.add(path)
        for path, size in plan.copy:
            try:
                parent = dirname(path)
                if parent not in made:
                    dst_fs.makedirs(parent, recreate=True)
                    made.add(parent)
                fs.copy.copy_file_internal(
                    src_fs, path, dst_fs, path, preserve_time=False, lock=False
                )
            except FSError as exc:
                self.stderr.write(f"\nCould not copy {path}: {exc}")
                failed.append(path)
            progress.advance(size)
        return failed
