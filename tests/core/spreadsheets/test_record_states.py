"""Where an upload record stands, as both imports' pages ask it (core.spreadsheets.records)."""

from __future__ import annotations

import pytest

from outcomes.models import OutcomeUpload
from vendors.models import VendorImportJob


@pytest.mark.parametrize("model", [VendorImportJob, OutcomeUpload])
def test_the_shared_end_states(model):
    for status in model.Status:
        record = model(status=status)
        assert record.awaits_confirmation is (status == "ready")
        assert record.is_done is (status == "done")
        assert record.is_failed is (status == "failed")
        assert record.is_stale is (status == "stale")


def test_a_vendor_import_is_checking_while_its_worker_beats():
    assert VendorImportJob(status=VendorImportJob.Status.CHECKING).is_checking
    assert not VendorImportJob(status=VendorImportJob.Status.IMPORTING).is_checking
