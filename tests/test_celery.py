import pytest

from accounts.tasks import worker_probe_task
from accounts.tests.factories import OrganisationFactory


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_against_the_test_database(celery_worker):
    OrganisationFactory(slug="probe-ministry")

    result = worker_probe_task.delay().get(timeout=20)

    assert result["organisations"] == ["probe-ministry"]
    assert result["database"].startswith("test_")
