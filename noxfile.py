"""Test sessions; ``./runtests`` runs them all on a fresh machine.

``nox -l`` lists the sessions, ``nox -s tests-3.11`` runs one.
"""


import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

TEST_DEPS = [
    "pytest>=8",
    "pytest-django>=4.8",
    "pytest-xdist>=3.5",
    "moto[server]>=5",
    "requests",
    "Pillow",
    # Drives Debian's /usr/bin/chromium (scripts/services.sh); no browser download.
    "playwright>=1.40",
]


def install(session, *extra, django="Django>=5.2,<6"):
    session.install("-e", ".[s3]", django, *TEST_DEPS, *extra)


@nox.session(python="3.11")
def lint(session):
    session.install("ruff")
    session.run("ruff", "check", "djpyfs", "tests", "bench", "example", "noxfile.py")
    session.run(
        "ruff", "format", "--check", "djpyfs", "tests", "bench", "example", "noxfile.py"
    )


@nox.session(python="3.11")
def tests(session):
    """The whole suite on SQLite."""
    install(session)
    session.run("pytest", *session.posargs)


@nox.session(python="3.11")
def postgres(session):
    """The whole suite on PostgreSQL (127.0.0.1:5432, database test)."""
    install(session, "psycopg[binary]>=3.1")
    session.run("pytest", *session.posargs, env={"DJPYFS_TEST_DB": "postgres"})
