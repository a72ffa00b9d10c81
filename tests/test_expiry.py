"""expire() bookkeeping and the expire_objects() sweep."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

import djpyfs
from djpyfs import conf, expiry
from djpyfs.filesystem import NamespaceFS
from djpyfs.models import FSExpirations

pytestmark = pytest.mark.django_db


def make_files(fs, names, content=b"x"):
    for name in names:
        fs.writebytes(name, content)


def rows(namespace):
    return {row.filename: row for row in FSExpirations.objects.filter(module=namespace)}


class TestExpire:
    def test_records_one_row_with_the_expiry_time(self, djfs, namespace):
        before = timezone.now()
        djpyfs.get_filesystem(namespace).expire("a.png", seconds=30, days=1)
        row = FSExpirations.objects.get(module=namespace, filename="a.png")
        assert row.expires is True
        expected = before + timedelta(days=1, seconds=30)
        assert expected <= row.expiration <= expected + timedelta(seconds=5)

    def test_leading_slash_names_the_same_file(self, djfs, namespace):
        fs = djpyfs.get_filesystem(namespace)
        fs.expire("a.png", seconds=10)
        fs.expire("/a.png", seconds=99)
        assert list(rows(namespace)) == ["a.png"]

    def test_calling_again_replaces_the_expiry(self, djfs, namespace):
        fs = djpyfs.get_filesystem(namespace)
        fs.expire("a.png", seconds=10)
        fs.expire("a.png", days=3)
        assert rows(namespace)["a.png"].expiration > timezone.now() + timedelta(days=2)

    def test_expires_false_makes_the_file_permanent(self, djfs, namespace):
        fs = djpyfs.get_filesystem(namespace)
        fs.writebytes("keep.txt", b"k")
        fs.expire("keep.txt", seconds=-10)
        fs.expire("keep.txt", expires=False)
        djpyfs.expire_objects()
        assert fs.exists("keep.txt")

    def test_refuses_names_outside_the_namespace(self, djfs, namespace):
        with pytest.raises(SuspiciousFileOperation):
            djpyfs.get_filesystem(namespace).expire("../other/a.png", seconds=1)
        assert not FSExpirations.objects.exists()

    def test_refuses_names_longer_than_the_table_allows(self, djfs, namespace):
        with pytest.raises(ValueError, match="longer than 382"):
            djpyfs.get_filesystem(namespace).expire("n" * 383, seconds=1)

    @pytest.mark.parametrize(
        "lifetime",
        [{"seconds": 10**14}, {"days": 3_000_000}, {"seconds": float("nan")}],
        ids=["seconds-past-9999", "days-past-9999", "nan"],
    )
    def test_refuses_lifetimes_no_date_can_hold(self, settings, namespace, lifetime):
        settings.DJFS = {"type": "mem"}
        with pytest.raises(ValueError, match=r"year 9999|NaN"):
            djpyfs.get_filesystem(namespace).expire("a.png", **lifetime)
        assert not FSExpirations.objects.filter(module=namespace).exists()

    def test_openedx_create_expiration_still_works(self, djfs, namespace):
        FSExpirations.create_expiration(namespace, "legacy.txt", 60)
        assert list(FSExpirations.objects.values_list("filename", flat=True)) == [
            "legacy.txt"
        ]
        assert not FSExpirations.expired().exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_expire_calls_for_one_file_do_not_raise(settings, namespace):
    settings.DJFS = {"type": "mem"}
    fs = djpyfs.get_filesystem(namespace)
    errors = []
    barrier = threading.Barrier(4)

    def expire(seconds):
        try:
            barrier.wait()
            fs.expire("same.png", seconds=seconds)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=expire, args=(s,)) for s in (10, 20, 30, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (
        FSExpirations.objects.filter(module=namespace, filename="same.png").count() == 1
    )


class TestSweep:
    def test_removes_expired_files_and_keeps_live_ones(self, djfs, namespace):
        fs = djpyfs.get_filesystem(namespace)
        make_files(fs, ["old1.txt", "old2.txt", "live.txt", "untracked.txt"])
        fs.expire("old1.txt", seconds=-1)
        fs.expire("old2.txt", seconds=-1)
        fs.expire("live.txt", seconds=3600)
        assert djpyfs.expire_objects() == 2
        assert sorted(fs.listdir("/")) == ["live.txt", "untracked.txt"]
        assert list(rows(namespace)) == ["live.txt"]

    def test_sweeps_every_namespace(self, djfs, namespace):
        spaces = [f"{namespace}/{n}" for n in ("a", "b", "c/d")]
        for space in spaces:
            fs = djpyfs.get_filesystem(space)
            make_files(fs, ["f.txt"])
            fs.expire("f.txt", seconds=-1)
        assert djpyfs.expire_objects() == 3
        assert not any(djpyfs.get_filesystem(s).exists("f.txt") for s in spaces)

    def test_a_file_already_gone_is_not_an_error(self, djfs, namespace):
        djpyfs.get_filesystem(namespace).expire("never-written.txt", seconds=-1)
        assert djpyfs.expire_objects() == 1
        assert not FSExpirations.objects.exists()

    def test_rows_written_by_the_predecessor_with_a_leading_slash(
        self, djfs, namespace
    ):
        fs = djpyfs.get_filesystem(namespace)
        make_files(fs, ["legacy.txt"])
        FSExpirations.objects.create(
            module=namespace,
            filename="/legacy.txt",
            expires=True,
            expiration=timezone.now() - timedelta(seconds=1),
        )
        assert djpyfs.expire_objects() == 1
        assert not fs.exists("legacy.txt")

    @pytest.mark.parametrize("backend", ["osfs", "mem"])
    def test_a_failure_in_the_middle_is_logged_kept_and_does_not_stop_the_sweep(
        self, backend, settings, tmp_path, request, namespace, caplog
    ):
        # On S3 a "directory" is only a prefix: deleting the key b.txt then
        # succeeds (there is no such object) and the objects below it stay.
        from tests.conftest import djfs_for

        settings.DJFS = djfs_for(backend, tmp_path, request)
        fs = djpyfs.get_filesystem(namespace)
        make_files(fs, ["a.txt", "c.txt"])
        # A directory where the row names a file: removing it as a file fails.
        fs.makedirs("b.txt/inside")
        fs.writebytes("b.txt/inside/f", b"x")
        for name in ("a.txt", "b.txt", "c.txt"):
            fs.expire(name, seconds=-1)
        result = expiry.sweep(batch_size=2)
        assert (result.removed, result.failed) == (2, 1)
        assert fs.listdir("/") == ["b.txt"]
        assert list(rows(namespace)) == ["b.txt"]
        assert "b.txt" in caplog.text
        # The kept row is tried again by the next sweep.
        fs.removetree("b.txt")
        assert expiry.sweep().removed == 1

    def test_rows_naming_no_valid_namespace_are_kept_and_touch_nothing(
        self, settings, tmp_path, caplog
    ):
        root = tmp_path / "root"
        settings.DJFS = {"type": "osfs", "directory_root": str(root)}
        outside = tmp_path / "outside.txt"
        outside.write_text("must survive")
        past = timezone.now() - timedelta(seconds=1)
        for module, filename in [
            ("../", "outside.txt"),
            ("/abs", "x"),
            ("ok", "../../outside.txt"),
        ]:
            FSExpirations.objects.create(
                module=module, filename=filename, expires=True, expiration=past
            )
        result = expiry.sweep()
        assert (result.removed, result.failed) == (0, 3)
        assert outside.read_text() == "must survive"
        assert FSExpirations.objects.count() == 3

    def test_an_expiry_extended_during_the_sweep_keeps_the_file(
        self, djfs, namespace, monkeypatch
    ):
        fs = djpyfs.get_filesystem(namespace)
        make_files(fs, ["first.txt", "second.txt"])
        fs.expire("first.txt", seconds=-2)
        fs.expire("second.txt", seconds=-1)
        remove_files = NamespaceFS.remove_files

        def remove_then_extend(self, paths):
            # While the sweep works on its first batch, someone extends the
            # file the sweep has seen as expired but not yet claimed.
            failures = remove_files(self, paths)
            djpyfs.get_filesystem(namespace).expire("second.txt", days=1)
            return failures

        monkeypatch.setattr(NamespaceFS, "remove_files", remove_then_extend)
        assert expiry.sweep(batch_size=1).removed == 1
        assert fs.listdir("/") == ["second.txt"]
        assert rows(namespace)["second.txt"].expiration > timezone.now()

    def test_database_work_is_bulk_not_per_file(
        self, settings, namespace, django_assert_max_num_queries
    ):
        settings.DJFS = {"type": "mem"}
        fs = djpyfs.get_filesystem(namespace)
        names = [f"f{i}.txt" for i in range(300)]
        make_files(fs, names)
        FSExpirations.objects.bulk_create(
            FSExpirations(
                module=namespace,
                filename=name,
                expires=True,
                expiration=timezone.now() - timedelta(seconds=1),
            )
            for name in names
        )
        with django_assert_max_num_queries(12):
            assert expiry.sweep(batch_size=1000).removed == 300
        assert fs.listdir("/") == []


def test_s3_sweep_deletes_up_to_1000_keys_per_request(
    settings, tmp_path, request, namespace
):
    from djpyfs.s3.client import get_client
    from tests.conftest import djfs_for
    from tests.support import RequestCounter

    settings.DJFS = djfs_for("s3fs", tmp_path, request)
    fs = djpyfs.get_filesystem(namespace)
    client = get_client(conf.get_config())
    names = [f"f{i:04}.txt" for i in range(2500)]
    for name in names[:20]:  # the rest are already gone: not an error
        fs.writebytes(name, b"x")
    fs.writebytes("live.txt", b"live")
    FSExpirations.objects.bulk_create(
        FSExpirations(
            module=namespace,
            filename=name,
            expires=True,
            expiration=timezone.now() - timedelta(seconds=1),
        )
        for name in names
    )
    with RequestCounter(client) as counter:
        assert djpyfs.expire_objects() == 2500
    assert counter.total == 3
    assert fs.listdir("/") == ["live.txt"]


def test_s3_failed_delete_request_keeps_the_rows_for_the_next_sweep(
    settings, tmp_path, request, namespace, s3_client, caplog
):
    from tests.conftest import djfs_for

    settings.DJFS = djfs_for("s3fs", tmp_path, request)
    fs = djpyfs.get_filesystem(namespace)
    for name in ("a.txt", "b.txt"):
        fs.expire(name, seconds=-1)
    # The whole DeleteObjects request fails: no key is deleted.
    s3_client.delete_bucket(Bucket=settings.DJFS["bucket"])

    result = expiry.sweep()

    assert (result.removed, result.failed) == (0, 2)
    assert sorted(rows(namespace)) == ["a.txt", "b.txt"]
    assert "a.txt" in caplog.text
    s3_client.create_bucket(Bucket=settings.DJFS["bucket"])
    assert expiry.sweep().removed == 2


class TestCommand:
    def test_prints_how_many_were_removed_and_failed(self, djfs, namespace, capsys):
        fs = djpyfs.get_filesystem(namespace)
        make_files(fs, ["a.txt", "b.txt"])
        fs.expire("a.txt", seconds=-1)
        fs.expire("b.txt", seconds=-1)
        call_command("djpyfs_expire")
        assert "Removed 2 expired files; 0 failed." in capsys.readouterr().out

    def test_failures_exit_non_zero_for_cron(self, settings, namespace, capsys):
        settings.DJFS = {"type": "mem"}
        fs = djpyfs.get_filesystem(namespace)
        fs.makedirs("dir.txt")
        fs.expire("dir.txt", seconds=-1)
        with pytest.raises(CommandError, match="1 expired files could not be removed"):
            call_command("djpyfs_expire")
        assert "Removed 0 expired files; 1 failed." in capsys.readouterr().out

    def test_logs_how_many_were_removed_and_failed_for_the_cron_log(
        self, settings, namespace, caplog
    ):
        settings.DJFS = {"type": "mem"}
        fs = djpyfs.get_filesystem(namespace)
        make_files(fs, ["a.txt"])
        fs.makedirs("dir.txt")
        fs.expire("a.txt", seconds=-1)
        fs.expire("dir.txt", seconds=-1)
        with (
            caplog.at_level(logging.INFO, logger="djpyfs"),
            pytest.raises(CommandError),
        ):
            call_command("djpyfs_expire")
        summaries = [
            record
            for record in caplog.records
            if record.levelno == logging.INFO and "finished" in record.getMessage()
        ]
        assert [record.getMessage() for record in summaries] == [
            "Sweep finished: 1 expired files removed, 1 failed"
        ]

    def test_batch_size_must_be_positive(self, djfs):
        with pytest.raises(CommandError):
            call_command("djpyfs_expire", "--batch-size", "0")
