"""Compare file names byte for byte on MariaDB and MySQL.

Their usual collations (``utf8mb4_unicode_ci``, ``utf8mb4_general_ci``...)
ignore case and equate some distinct characters, so ``Chart.png`` and
``chart.png`` shared one expiry row and the sweep removed only one of the two
files.  The filesystems holding the files compare names exactly, so the
columns get the binary collation of their character set.  Other databases
already compare exactly; for them this migration does nothing.
"""

from django.db import migrations

COLUMNS = ("module", "filename")


def use_binary_collation(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "mysql":
        return
    model = apps.get_model("djpyfs", "FSExpirations")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, character_set_name, character_maximum_length"
            " FROM information_schema.columns"
            " WHERE table_schema = DATABASE() AND table_name = %s",
            [table],
        )
        columns = {name.lower(): (charset, length) for name, charset, length in cursor}
    changes = []
    for name in COLUMNS:
        charset, length = columns[name]
        changes.append(
            f"MODIFY {schema_editor.quote_name(name)} varchar({length})"
            f" CHARACTER SET {charset} COLLATE {charset}_bin NOT NULL"
        )
    schema_editor.execute(
        f"ALTER TABLE {schema_editor.quote_name(table)} {', '.join(changes)}"
    )


class Migration(migrations.Migration):
    dependencies = [("djpyfs", "0001_initial")]

    operations = [
        # MariaDB cannot roll back DDL, so the migration runs outside a
        # transaction there.
        migrations.RunPython(
            use_binary_collation, migrations.RunPython.noop, atomic=False
        ),
    ]
