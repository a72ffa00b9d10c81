"""``manage.py djpyfs_copy SRC DST``: copy every file from one place to another.

Each side is written as one of:

- ``storage:<alias>``: an entry of ``settings.STORAGES`` (through StorageFS);
  the alias alone (``default``) means the same when ``STORAGES`` has it;
- ``djfs:<namespace>``: a DJFS namespace (``get_filesystem``);
- anything containing ``://``: a pyfilesystem FS URL (``osfs:///srv/media``,
  ``s3://bucket/prefix``, ``mem://``...).

Files already at the destination with the same size are skipped, so an
interrupted copy is resumed by running the command again.  Nothing is made on
disk before the copy starts: a dry run, or a refused copy, creates nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import fs.copy
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.management.base import BaseCommand, CommandError
from fs.base import FS
from fs.errors import FSError, IllegalBackReference, NoSysPath
from fs.info import Info
from fs.memoryfs import MemoryFS
from fs.opener.errors import OpenerError
from fs.opener.parse import parse_fs_url
from fs.path import dirname, join
from fs.walk import Walker

from djpyfs.exceptions import error_text

SYNTAX = (
    "an alias of STORAGES, storage:<alias>, djfs:<namespace> "
    "or an FS URL containing '://'"
)

#: Errors meaning "this file (or directory) cannot be copied": reported,
#: counted as failed, and the copy goes on with the next one.
PER_FILE_ERRORS = (FSError, IllegalBackReference, SuspiciousFileOperation, OSError)

#: Errors meaning "this side cannot be opened": a bad alias, namespace or URL.
OPEN_ERRORS = (
    FSError,
    OpenerError,
    ImproperlyConfigured,
    SuspiciousFileOperation,
    IllegalBackReference,
    TypeError,
)


def open_location(spec: str, create: bool = False) -> FS:
    """Open one side of the copy, as described in the module docstring.

    Without ``create`` nothing is made: an FS URL that does not exist is an
    error, and a DJFS namespace whose directory is not made yet is an empty
    stand-in (its directory would be made by opening it).
    """
    if "://" in spec:
        from fs import open_fs

        _refuse_local_file(spec)
        return open_fs(spec, create=create)
    kind, colon, name = spec.partition(":")
    if not colon and spec in settings.STORAGES:
        kind, name = "storage", spec
    if kind == "storage" and name:
        from djpyfs.pyfs_from_storage import StorageFS

        return StorageFS(name)
    if kind == "djfs" and name:
        from djpyfs.filesystem import get_filesystem

        if not create and not_made_yet(spec):
            return MemoryFS()
        return get_filesystem(name)
    raise CommandError(f"{spec!r} is not a location: use {SYNTAX}.")


def _refuse_local_file(spec: str) -> None:
    # OSFS reports a file as "root path ... does not exist" (or, asked to
    # create it, as "File exists"): say what is wrong instead.
    directory = local_directory(spec)
    if directory is not None and os.path.isfile(directory):
        raise CommandError(f"{spec!r} is a file, not a directory.")


def local_directory(spec: str) -> str | None:
    """The real path of the local directory ``spec`` names, without opening it.

    The directory may not exist yet.  This is for ``osfs://`` and ``file://``
    URLs and ``djfs:`` namespaces on an ``osfs`` DJFS; other sides, and specs
    that cannot be opened (opening them says why), give None.
    """
    if "://" in spec:
        try:
            parsed = parse_fs_url(spec)
        except OpenerError:
            return None
        if parsed.protocol not in ("osfs", "file"):
            return None
        # Expanded as pyfilesystem's OSFS opener and OSFS do.
        path = os.path.expandvars(os.path.expanduser(parsed.resource))
        return os.path.realpath(path)
    kind, _colon, name = spec.partition(":")
    if kind != "djfs" or not name:
        return None
    from djpyfs import conf
    from djpyfs.namespaces import validate_namespace

    try:
        config = conf.get_config()
        namespace = validate_namespace(name)
    except OPEN_ERRORS:
        return None
    if not isinstance(config, conf.OSFSConfig):
        return None
    return os.path.realpath(os.path.join(config.directory_root, namespace))


def not_made_yet(spec: str) -> bool:
    """Whether ``spec`` names a directory on local disk that does not exist."""
    directory = local_directory(spec)
    return directory is not None and not os.path.exists(directory)


def location_key(spec: str, filesystem: FS | None) -> tuple[str, str] | None:
    """Where a side's files live, comparable between the two sides.

    ``("disk", real path)`` for files on local disk (FS URLs, DJFS on
    ``osfs``, local storages), ``("djfs", namespace)`` for DJFS namespaces
    elsewhere (PyFSStorage included), ``("storage", alias)`` for other
    storages; None when it cannot be told (e.g. two ``s3://`` URLs).

    Sides that :func:`local_directory` knows are told from ``spec`` alone,
    so their ``filesystem`` may be None (not made yet); the others are told
    from ``filesystem``, the side opened.
    """
    from djpyfs.filesystem import NamespaceFS
    from djpyfs.pyfs_from_storage import StorageFS
    from djpyfs.storage import PyFSStorage

    directory = local_directory(spec)
    if directory is not None:
        return ("disk", directory)
    if filesystem is None:
        return None
    try:
        return ("disk", os.path.realpath(filesystem.getsyspath("/")))
    except (NoSysPath, FSError):
        pass
    if isinstance(filesystem, NamespaceFS):
        return ("djfs", filesystem.namespace)
    if isinstance(filesystem, StorageFS):
        storage: Any = filesystem.storage
        try:
            return ("disk", os.path.realpath(storage.path("")))
        except (NotImplementedError, *PER_FILE_ERRORS):
            pass
        if isinstance(storage, PyFSStorage):
            return ("djfs", storage.namespace)
        alias = filesystem.storage_alias()
        if alias is not None:
            return ("storage", alias)
    return None


def copies_into_itself(
    src_key: tuple[str, str] | None, dst_key: tuple[str, str] | None
) -> bool:
    """Whether DST is SRC or inside it, as far as their :func:`location_key`
    tell.

    Such a copy would walk into what it writes.  (SRC inside DST is fine: its
    files are copied up to the top of DST.)
    """
    if src_key is None or dst_key is None or src_key[0] != dst_key[0]:
        return False
    kind, src_where = src_key
    dst_where = dst_key[1]
    if dst_where == src_where:
        return True
    separator = {"disk": os.sep, "djfs": "/"}.get(kind)
    return separator is not None and dst_where.startswith(
        src_where.rstrip(separator) + separator
    )


@dataclass
class Plan:
    """What to copy: files with sizes, files skipped, directories to make."""

    copy: list[tuple[str, int]] = field(default_factory=list)
    skipped: int = 0
    dirs: list[str] = field(default_factory=list)
    #: Symbolic links to directories, not followed (see :class:`SourceWalker`).
    links: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(size for _path, size in self.copy)


def list_files(filesystem: FS) -> dict[str, int]:
    """Every file below the root with its size (one listing per 1,000 keys on
    S3)."""
    return {
        path: info.size
        for path, info in filesystem.walk.info(namespaces=["details"])
        if info.is_file
    }


class SourceWalker(Walker):
    """Walks the source without entering symbolic links to directories, and
    lists them in :attr:`links`.

    A link may lead into the destination, so that each run copies the last
    run's copy again, one level deeper, or back to an ancestor, so that the
    walk never ends.  Links exist only on local disk; elsewhere this is
    pyfilesystem's walk.
    """

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def check_open_dir(self, fs: FS, path: str, info: Info) -> bool:
        if info.is_link:
            # ``path`` is the directory being scanned, which holds the link.
            self.links.append(join(path, info.name))
            return False
        return super().check_open_dir(fs, path, info)


def make_plan(src: FS, present: dict[str, int]) -> Plan:
    """Walk the source once and compare with the files ``present`` at the
    destination."""
    plan = Plan()
    walker = SourceWalker()
    for path, info in walker.info(src, namespaces=["details", "link"]):
        if info.is_dir:
            plan.dirs.append(path)
        elif present.get(path) == info.size:
            plan.skipped += 1
        else:
            plan.copy.append((path, info.size))
    plan.links = walker.links
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
        src_fs = self._open("SRC", src)
        # Nothing may be made before the checks below have passed, nor at all
        # by a dry run (a DST refused for being inside SRC would be left there
        # as an empty directory): a DST not made yet stays None, an empty
        # destination, until the copy starts.
        dst_fs = None if not_made_yet(dst) else self._open("DST", dst)
        if copies_into_itself(location_key(src, src_fs), location_key(dst, dst_fs)):
            raise CommandError(
                f"DST {dst!r} is SRC {src!r} or inside it: the copy would copy "
                "its own copies."
            )
        present: dict[str, int] = {}
        if dst_fs is not None:
            present = self._list("DST", dst, lambda: list_files(dst_fs))
        plan = self._list("SRC", src, lambda: make_plan(src_fs, present))

        for path in plan.links:
            self.stderr.write(
                f"Not followed: {path} is a symbolic link to a directory."
            )
        if options["dry_run"]:
            for path, size in plan.copy:
                self.stdout.write(f"would copy {path} ({_human(size)})")
            self.stdout.write(
                f"Dry run: {len(plan.copy)} files ({_human(plan.total_bytes)}) "
                f"to copy, {plan.skipped} skipped."
            )
            return

        if dst_fs is None:
            dst_fs = self._open("DST", dst, create=True)
        progress = Progress(
            self.stderr, plan, options["progress"] or self.stderr.isatty()
        )
        failed_dirs = self._make_dirs(dst_fs, plan)
        failed = self._copy(src_fs, dst_fs, plan, progress)
        progress.finish()
        copied = len(plan.copy) - len(failed)
        summary = (
            f"Copied {copied} files, skipped {plan.skipped}, failed {len(failed)}."
        )
        if failed_dirs:
            summary += f" {len(failed_dirs)} directories could not be created."
        self.stdout.write(summary)
        if failed or failed_dirs:
            raise CommandError(
                f"{len(failed)} files and {len(failed_dirs)} directories could "
                "not be copied."
            )

    @staticmethod
    def _open(side: str, spec: str, create: bool = False) -> FS:
        try:
            return open_location(spec, create=create)
        except OPEN_ERRORS as exc:
            raise CommandError(
                f"Cannot open {side} {spec!r}: {error_text(exc)}"
            ) from exc

    @staticmethod
    def _list(side: str, spec: str, walk: Any) -> Any:
        try:
            return walk()
        except PER_FILE_ERRORS as exc:
            raise CommandError(
                f"Cannot list {side} {spec!r}: {error_text(exc)}"
            ) from exc

    def _make_dirs(self, dst_fs: FS, plan: Plan) -> list[str]:
        """Make the source's directories (empty ones included) at ``dst``."""
        failed: list[str] = []
        for path in plan.dirs:
            try:
                dst_fs.makedirs(path, recreate=True)
            except PER_FILE_ERRORS as exc:
                self.stderr.write(
                    f"\nCould not create directory {path}: {error_text(exc)}"
                )
                failed.append(path)
        return failed

    def _copy(
        self, src_fs: FS, dst_fs: FS, plan: Plan, progress: Progress
    ) -> list[str]:
        failed: list[str] = []
        made = set(plan.dirs)
        for path, size in plan.copy:
            try:
                parent = dirname(path)
                if parent not in made:
                    dst_fs.makedirs(parent, recreate=True)
                    made.add(parent)
                fs.copy.copy_file_internal(
                    src_fs, path, dst_fs, path, preserve_time=False, lock=False
                )
            except PER_FILE_ERRORS as exc:
                self.stderr.write(f"\nCould not copy {path}: {error_text(exc)}")
                failed.append(path)
            progress.advance(size)
        return failed
