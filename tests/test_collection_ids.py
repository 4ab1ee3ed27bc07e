"""The suite's parametrized ids are the same in every pytest-xdist worker."""

from .conftest import pytest_make_parametrize_id


def test_a_bytes_parameter_is_named_by_its_length_not_its_contents():
    # Two .docx files made a second apart differ only in their zip headers' time.
    earlier = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\xa4A\x86]"
    later = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\xa5A\x86]"
    assert pytest_make_parametrize_id(None, earlier, "content") == "content-14-bytes"
    assert pytest_make_parametrize_id(None, later, "content") == "content-14-bytes"


def test_other_parameters_keep_pytest_s_own_ids():
    assert pytest_make_parametrize_id(None, "reply.pdf", "name") is None
