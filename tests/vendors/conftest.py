import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vendors.models import VendorImportJob

from ..worker import lock_holder  # noqa: F401  (fixture)


@pytest.fixture
def upload(client_for, sdo_user, django_capture_on_commit_callbacks):
    """Upload a workbook as SDO through the page; the check runs (in-process) after commit.
    Returns the job and the text of its page."""

    def run(
        data: bytes,
        *,
        name: str = "vendors.xlsx",
        session=None,
        user=None,
        language: str = "en",
        ignore_extra_columns: bool = False,
    ):
        client = client_for(user or sdo_user, language=language)
        before = VendorImportJob.objects.count()
        form = {"file": SimpleUploadedFile(name, data), "session": session.pk if session else ""}
        if ignore_extra_columns:
            form["ignore_extra_columns"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("vendors:import"), form)
        if VendorImportJob.objects.count() == before:
            return None, response.content.decode()
        job = VendorImportJob.objects.latest("pk")
        assert response.status_code == 302
        page = client.get(reverse("vendors:import-detail", args=[job.pk]))
        return job, page.content.decode()

    return run


@pytest.fixture
def confirm(client_for, sdo_user, django_capture_on_commit_callbacks):
    def run(job, *, user=None):
        client = client_for(user or sdo_user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("vendors:import-confirm", args=[job.pk]))
        assert response.status_code == 302
        job.refresh_from_db()
        return job, client.get(reverse("vendors:import-detail", args=[job.pk])).content.decode()

    return run
