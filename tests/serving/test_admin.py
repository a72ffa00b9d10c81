"""The admin of the expiry table: list, filters, search and "expire now"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from djpyfs.models import FSExpirations

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.serving.urls_admin")]

CHANGELIST = "admin:djpyfs_fsexpirations_changelist"


@pytest.fixture
def rows():
    now = timezone.now()
    return {
        "old": FSExpirations.objects.create(
            module="charts",
            filename="old.png",
            expires=True,
            expiration=now - timedelta(hours=1),
        ),
        "new": FSExpirations.objects.create(
            module="charts",
            filename="new.png",
            expires=True,
            expiration=now + timedelta(hours=1),
        ),
        "kept": FSExpirations.objects.create(
            module="uploads",
            filename="report.pdf",
            expires=False,
            expiration=now - timedelta(hours=1),
        ),
    }


def listed(response) -> set[str]:
    return {row.filename for row in response.context["cl"].result_list}


def test_changelist_shows_namespace_file_and_expiry(admin_client, rows):
    response = admin_client.get(reverse(CHANGELIST))

    assert listed(response) == {"old.png", "new.png", "report.pdf"}
    assert "uploads" in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"expired": "yes"}, {"old.png"}),
        ({"expired": "no"}, {"new.png", "report.pdf"}),
        ({"module": "uploads"}, {"report.pdf"}),
        ({"q": "new"}, {"new.png"}),
    ],
    ids=["expired", "not-expired", "namespace", "search-file-name"],
)
def test_changelist_filters(admin_client, rows, query, expected):
    assert listed(admin_client.get(reverse(CHANGELIST), query)) == expected


def test_expire_now_action_makes_rows_due_for_the_sweep(admin_client, rows):
    selected = [rows["new"].pk, rows["kept"].pk]

    admin_client.post(
        reverse(CHANGELIST), {"action": "expire_now", "_selected_action": selected}
    )

    assert set(FSExpirations.objects.expired().values_list("filename", flat=True)) == {
        "old.png",
        "new.png",
        "report.pdf",
    }
