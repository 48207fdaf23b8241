"""Two people asking for the same document at the same moment (found by `make bench BENCH=load`,
where the second request answered 500): both get the one document."""

import threading
import time

import pytest
from django.db import connection, transaction

from documents import queueing, services
from documents.models import DocumentKind, GeneratedDocument


def _someone_waits_for_a_lock(timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the statistics are a snapshot taken once: drop it each time.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "kind,keys", [(DocumentKind.CANVAS, ["eu-soil"]), (DocumentKind.PACK, ["eu-soil", "eu-cities"])]
)
def test_two_people_asking_for_the_same_document_at_once_share_it(
    demo_missions, member, monkeypatch, kind, keys
):
    # The test is about the request; nothing needs rendering.
    monkeypatch.setattr(queueing, "_enqueue", lambda document: None)
    first_person, second_person = member("editor"), member("viewer")
    inserted = threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        # Asks first; its new document is not committed yet when the second person asks.
        try:
            with transaction.atomic():
                results["first"] = services.document_request(
                    by=first_person, organisation=demo_missions, kind=kind, missions=keys
                )
                inserted.set()
                results["second waited"] = _someone_waits_for_a_lock()
        finally:
            connection.close()

    def second() -> None:
        inserted.wait(timeout=30)
        try:
            results["second"] = services.document_request(
                by=second_person, organisation=demo_missions, kind=kind, missions=keys
            )
        except Exception as error:  # what the page would have turned into a 500
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # The second request really ran into the first one's uncommitted document.
    assert results["second waited"] is True
    assert isinstance(results["second"], GeneratedDocument), results["second"]
    assert results["second"].pk == results["first"].pk
    assert GeneratedDocument.objects.filter(kind=kind).count() == 1
