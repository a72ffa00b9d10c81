"""Give the (expiration, expires) index its declared name on adopted tables.

openedx-django-pyfs declared that index with ``index_together``, for which
Django chose a name made of the table, the columns and a hash
(``djpyfs_fsexpirations_expiration_expires_<hash>_idx``).  ``migrate
--fake-initial`` records ``0001_initial`` without touching the table, so the
index kept that name while Django's migration state holds the name in
``0001_initial``; any later migration changing the index by name would fail
there.  On a database djpyfs created the index already has its name and this
migration does nothing.
"""

from django.db import migrations, models

INDEX_FIELDS = ["expiration", "expires"]


def rename_predecessor_index(apps, schema_editor):
    model = apps.get_model("djpyfs", "FSExpirations")
    (declared,) = [
        index for index in model._meta.indexes if index.fields == INDEX_FIELDS
    ]
    columns = [model._meta.get_field(name).column for name in INDEX_FIELDS]
    # The lookup Django's own RenameIndex(old_fields=...) makes for indexes
    # of index_together: by columns, since the name is not known.
    names = schema_editor._constraint_names(
        model, column_names=columns, index=True, unique=False, primary_key=False
    )
    if declared.name in names or len(names) != 1:
        # Already named (or ambiguous: left for a person to look at).
        return
    old = models.Index(fields=INDEX_FIELDS, name=names[0])
    schema_editor.rename_index(model, old, declared)


class Migration(migrations.Migration):
    dependencies = [("djpyfs", "0002_exact_names_on_mysql")]

    operations = [
        # As 0002: MariaDB cannot roll back DDL.
        migrations.RunPython(
            rename_predecessor_index, migrations.RunPython.noop, atomic=False
        ),
    ]
