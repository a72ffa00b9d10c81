"""The ``djpyfs_fsexpirations`` table on each database (``DJPYFS_TEST_DB``).

Names are up to 382 characters so that the unique index on (module,
filename) fits InnoDB's 3,072-byte key limit in utf8mb4; these tests check
that it does, at full length and with 4-byte characters, and that names are
compared exactly (byte for byte), as the filesystems holding the files do.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from djpyfs.expiry import set_expiration
from djpyfs.models import NAME_MAX_LENGTH, FSExpirations

pytestmark = pytest.mark.django_db

# U+1D11E MUSICAL SYMBOL G CLEF: 4 bytes in UTF-8.
CLEF = "\U0001d11e"
LONGEST = CLEF * NAME_MAX_LENGTH


def add_row(module: str, filename: str) -> FSExpirations:
    return FSExpirations.objects.create(
        module=module, filename=filename, expires=True, expiration=timezone.now()
    )


def test_unique_index_covers_module_and_filename():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, FSExpirations._meta.db_table
        )
    unique = [c["columns"] for c in constraints.values() if c["unique"]]
    assert ["module", "filename"] in unique


def test_longest_four_byte_names_are_stored_whole():
    add_row(LONGEST, LONGEST)

    row = FSExpirations.objects.get()
    assert (row.module, row.filename) == (LONGEST, LONGEST)


def test_unique_index_rejects_the_same_longest_names_twice():
    add_row(LONGEST, LONGEST)

    with pytest.raises(IntegrityError), transaction.atomic():
        add_row(LONGEST, LONGEST)


def test_unique_index_compares_names_to_their_last_character():
    # A prefix index would see these as duplicates.
    add_row(LONGEST, LONGEST)
    add_row(LONGEST, LONGEST[:-1] + "x")

    assert FSExpirations.objects.count() == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Chart.png", "chart.png"),
        ("cafe\u0301.txt", "caf\u00e9.txt"),  # decomposed and composed e-acute
        ("\U0001f600.txt", "\U0001f601.txt"),  # two emoji
    ],
    ids=["case", "normalisation", "emoji"],
)
def test_names_that_differ_only_in_bytes_are_different_files(first, second):
    set_expiration("ns", first, days=1)
    set_expiration("ns", second, seconds=-60)

    expired = FSExpirations.objects.expired().values_list("filename", flat=True)
    assert list(expired) == [second]
    assert FSExpirations.objects.count() == 2


def test_lookup_by_name_is_exact():
    add_row("ns", "Report.PDF")

    assert not FSExpirations.objects.filter(module="ns", filename="report.pdf").exists()


@pytest.mark.skipif(connection.vendor != "mysql", reason="MariaDB/MySQL only")
def test_names_are_utf8mb4_on_mariadb():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, character_set_name FROM information_schema.columns"
            " WHERE table_schema = DATABASE() AND table_name = %s"
            " AND column_name IN ('module', 'filename')",
            [FSExpirations._meta.db_table],
        )
        charsets = dict(cursor.fetchall())
    assert charsets == {"module": "utf8mb4", "filename": "utf8mb4"}


def test_expiration_is_stored_with_its_time_zone():
    when = timezone.now() + timedelta(hours=3)
    FSExpirations.objects.create(
        module="ns", filename="a", expires=True, expiration=when
    )

    assert abs(FSExpirations.objects.get().expiration - when) < timedelta(seconds=1)
