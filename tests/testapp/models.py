"""Models used by the tests (FileFields on djpyfs storages)."""
