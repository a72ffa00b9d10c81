"""Test sessions; ``./runtests`` runs them all on a fresh machine.

``./runtests -l`` lists the sessions, ``./runtests -s lint`` runs one, and
arguments after ``--`` go to pytest: ``./runtests -s postgres -- -k expiry``.

CI has 90 minutes on 2 cores for all of them, so each test session runs
pytest on both cores (pytest-xdist) and the ``slow`` tests (large files, the
browser) run once, in their own session, not once per Python x Django pair.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent

DJANGO = {
    "4.2": "Django>=4.2,<5.0",
    "5.2": "Django>=5.2,<6.0",
    "6": "Django>=6.0,<7.0",
}
#: Python x Django pairs that Django supports: 4.2 stops at Python 3.12,
#: 6.x starts at Python 3.12.
MATRIX = [
    ("3.11", "4.2"),
    ("3.11", "5.2"),
    ("3.12", "4.2"),
    ("3.12", "5.2"),
    ("3.12", "6"),
    ("3.13", "5.2"),
    ("3.13", "6"),
]
NEWEST = ("3.13", "6")

TEST_DEPS = [
    "pytest>=8",
    "pytest-django>=4.8",
    "pytest-xdist>=3.5",
    "moto[server]>=5",
    "requests",
    "Pillow",
    "redis>=4.5",
    # Drives Debian's /usr/bin/chromium (scripts/services.sh); no browser download.
    "playwright>=1.40",
]
POSTGRES_DEPS = ["psycopg[binary]>=3.1"]
MARIADB_DEPS = ["mysqlclient>=2.2"]

#: pytest on both cores; later arguments (from ``--``) override these.
PARALLEL = ["-n", "2", "--dist", "loadfile"]
NOT_SLOW = ["-m", "not slow"]

LINTED = [
    p
    for p in ("djpyfs", "tests", "bench", "example", "noxfile.py")
    if (ROOT / p).exists()
]


CHECK_FS_NEXT = """
import importlib.metadata, importlib.util, fs
assert importlib.util.find_spec("pkg_resources") is None, "setuptools still there"
print("fs", fs.__version__, "from fs-next", importlib.metadata.version("fs-next"))
"""


def install(session: nox.Session, django: str, *extra: str) -> None:
    session.install("-e", ".[s3,celery]", DJANGO[django], *TEST_DEPS, *extra)


def pytest(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    session.run("pytest", *args, *session.posargs, env=env or {})


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff: lint rules and Black-style formatting."""
    session.install("ruff")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session(python="3.11")
def mypy(session: nox.Session) -> None:
    """Type-check djpyfs with django-stubs."""
    install(session, "5.2", "mypy", "django-stubs")
    session.run("mypy", "djpyfs")


@nox.session
@nox.parametrize("python,django", MATRIX, ids=[f"{py}-django{dj}" for py, dj in MATRIX])
def tests(session: nox.Session, django: str) -> None:
    """The suite on SQLite, except the slow tests, for one Python x Django pair."""
    install(session, django)
    pytest(session, *NOT_SLOW, *PARALLEL)


@nox.session(python=NEWEST[0])
def slow(session: nox.Session) -> None:
    """The slow tests (large files, the browser), once, on the newest versions."""
    install(session, NEWEST[1])
    # No test collected (exit code 5) fails the session: the slow tests exist,
    # so that would mean their marker or collection broke.
    pytest(session, "-m", "slow")


@nox.session(python="3.12")
def postgres(session: nox.Session) -> None:
    """The suite on PostgreSQL (127.0.0.1:5432, database ``test``)."""
    install(session, "5.2", *POSTGRES_DEPS)
    pytest(session, *NOT_SLOW, *PARALLEL, env={"DJPYFS_TEST_DB": "postgres"})


@nox.session(python="3.11")
def mariadb(session: nox.Session) -> None:
    """The suite on MariaDB in utf8mb4 (127.0.0.1:3306, root)."""
    install(session, "4.2", *MARIADB_DEPS)
    pytest(session, *NOT_SLOW, *PARALLEL, env={"DJPYFS_TEST_DB": "mariadb"})


@nox.session(name="fs-next", python="3.13")
def fs_next(session: nox.Session) -> None:
    """The suite with fs-next, the maintained fork of pyfilesystem2, as ``fs``.

    fs-next installs the same ``fs`` package as pyfilesystem2 under another
    distribution name, so pyfilesystem2 is removed first (leaving the files
    of both would mix them).
    """
    install(session, "5.2")
    # Both distributions own the files of the ``fs`` package: removing fs
    # after fs-next would delete fs-next's files, so fs-next is installed
    # anew.  fs-next needs no pkg_resources, so setuptools goes too: a
    # hidden import of it would fail here.
    uv_env = {"VIRTUAL_ENV": session.virtualenv.location}
    uninstall = ["uv", "pip", "uninstall", "fs", "fs-next", "setuptools"]
    session.run(*uninstall, external=True, env=uv_env)
    session.install("fs-next")
    session.run("python", "-c", CHECK_FS_NEXT)
    pytest(session, *NOT_SLOW, *PARALLEL)


@nox.session(python="3.11")
def packaging(session: nox.Session) -> None:
    """Build the sdist and wheel; install the wheel into fresh virtualenvs."""
    session.install("build", "pytest>=8")
    # pytest-django is not installed here: its settings in pyproject.toml are unknown.
    ignore = ["-W", "ignore::pytest.PytestConfigWarning"]
    pytest(session, *ignore, "tests/packaging", env={"DJPYFS_PACKAGING_TESTS": "1"})
