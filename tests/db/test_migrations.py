"""Taking over a database that openedx-django-pyfs already used."""

from __future__ import annotations

import pytest
from django.apps.registry import Apps
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from djpyfs.models import FSExpirations

pytestmark = pytest.mark.django_db(transaction=True)

INDEX_FIELDS = ["expiration", "expires"]


def predecessor_model() -> type[models.Model]:
    """The expiry model as openedx-django-pyfs 4.0.0 declared it (no migrations)."""
    attrs = {
        "__module__": __name__,
        "module": models.CharField(max_length=382),
        "filename": models.CharField(max_length=382),
        "expires": models.BooleanField(),
        "expiration": models.DateTimeField(db_index=True),
        "Meta": type(
            "Meta",
            (),
            {
                "app_label": "djpyfs",
                "apps": Apps(),
                "unique_together": (("module", "filename"),),
                # Its index_together index is made by the fixture: Django 5.1
                # removed index_together, and it named the index differently.
            },
        ),
    }
    return type("FSExpirations", (models.Model,), attrs)


def expiry_indexes() -> list[str]:
    """Names of the indexes on exactly (expiration, expires)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, FSExpirations._meta.db_table
        )
    return sorted(
        name
        for name, details in constraints.items()
        if details["index"] and details["columns"] == INDEX_FIELDS
    )


def applied_djpyfs_migrations() -> set[str]:
    return {
        name
        for app, name in MigrationRecorder(connection).applied_migrations()
        if app == "djpyfs"
    }


@pytest.fixture
def predecessor_table():
    """The predecessor's table with one row, and no djpyfs migration recorded."""
    call_command("migrate", "djpyfs", "zero", verbosity=0)
    model = predecessor_model()
    with connection.schema_editor() as editor:
        editor.create_model(model)
        # What index_together = [["expiration", "expires"]] created.
        fields = [model._meta.get_field(name) for name in INDEX_FIELDS]
        editor.execute(editor._create_index_sql(model, fields=fields, suffix="_idx"))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO djpyfs_fsexpirations (module, filename, expires, expiration)"
            " VALUES (%s, %s, %s, %s)",
            ["old/ns", "chart.png", True, timezone.now()],
        )
    assert applied_djpyfs_migrations() == set()
    yield
    # Leave the schema as the other tests expect it, whatever happened.
    call_command("migrate", "djpyfs", fake_initial=True, verbosity=0)


def test_migrate_fake_initial_adopts_the_predecessors_table(predecessor_table):
    call_command("migrate", "djpyfs", fake_initial=True, verbosity=0)

    assert applied_djpyfs_migrations() == {
        "0001_initial",
        "0002_exact_names_on_mysql",
        "0003_adopt_predecessor_index",
    }
    row = FSExpirations.objects.get()
    assert (row.module, row.filename) == ("old/ns", "chart.png")


def test_adopted_table_keeps_working_for_expiry(predecessor_table):
    call_command("migrate", "djpyfs", fake_initial=True, verbosity=0)

    FSExpirations.create_expiration("old/ns", "Chart.png", seconds=-1)

    assert FSExpirations.objects.expired().count() == 2


def test_adopted_table_has_the_expiry_index_under_its_declared_name(
    predecessor_table,
):
    # A later migration finds the index by this name, as on a new database.
    (declared,) = [
        index.name
        for index in FSExpirations._meta.indexes
        if index.fields == INDEX_FIELDS
    ]
    assert expiry_indexes() != [declared]

    call_command("migrate", "djpyfs", fake_initial=True, verbosity=0)

    assert expiry_indexes() == [declared]


def test_djpyfs_migrations_match_the_model():
    # Fails (SystemExit) if a change to FSExpirations ships without a migration.
    call_command("makemigrations", "djpyfs", "--check", "--dry-run", verbosity=0)
