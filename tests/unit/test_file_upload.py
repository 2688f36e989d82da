"""Reading Teams' fileConsent/invoke value and building the file cards."""

from __future__ import annotations

from typing import Any

import pytest

from bot.outbound.file_upload import (
    FILE_CONSENT_CARD,
    FILE_INFO_CARD,
    UploadInfo,
    consent_answer,
    consent_attachment,
    file_info_attachment,
)

UPLOAD_INFO = {
    "contentUrl": "https://victor-my.sharepoint.com/personal/coord/Documents/Applications/rkk.csv",
    "name": "rkk.csv",
    "uploadUrl": "https://victor-my.sharepoint.com/personal/coord/_api/v2.0/drive/items/x/uploadSession?tempauth=t",
    "uniqueId": "01ABC",
    "fileType": "csv",
    "etag": "1",
}


def test_accept_carries_the_context_and_where_to_upload() -> None:
    """An accept gives the card's context and the upload info."""
    answer = consent_answer({"type": "fileUpload", "action": "accept", "context": {"a": 1}, "uploadInfo": UPLOAD_INFO})
    assert answer is not None and answer.accepted and answer.context == {"a": 1}
    assert answer.upload == UploadInfo("rkk.csv", UPLOAD_INFO["uploadUrl"], UPLOAD_INFO["contentUrl"], "01ABC", "csv")


def test_decline_needs_no_upload_info() -> None:
    """A decline is read without uploadInfo or context."""
    answer = consent_answer({"action": "decline"})
    assert answer is not None and not answer.accepted and answer.upload is None and answer.context == {}


@pytest.mark.parametrize(
    "value",
    [
        None,
        "accept",
        {"action": "maybe"},
        {"action": "accept", "context": {}},
        {"action": "accept", "uploadInfo": {**UPLOAD_INFO, "uniqueId": ""}},
        {"action": "accept", "uploadInfo": {**UPLOAD_INFO, "uploadUrl": "file:///etc/passwd"}},
    ],
)
def test_malformed_values_are_not_an_answer(value: Any) -> None:
    """Unknown actions, an accept without complete upload info, or a non-HTTP upload URL are refused."""
    assert consent_answer(value) is None


def test_consent_card_has_the_shape_teams_documents() -> None:
    """contentType, name and content {description, sizeInBytes, acceptContext, declineContext}."""
    attachment = consent_attachment("rkk.csv", "CSV met 2 antwoorden", 120, {"rkks": ["kempen"]}).serialize()
    assert attachment == {
        "contentType": FILE_CONSENT_CARD,
        "name": "rkk.csv",
        "content": {
            "description": "CSV met 2 antwoorden",
            "sizeInBytes": 120,
            "acceptContext": {"rkks": ["kempen"]},
            "declineContext": {},
        },
    }


def test_file_info_card_has_the_shape_teams_documents() -> None:
    """contentType, contentUrl and name from uploadInfo, content {uniqueId, fileType}."""
    upload = UploadInfo("rkk.csv", "https://upload", "https://victor-my.sharepoint.com/rkk.csv", "01ABC", "csv")
    assert file_info_attachment(upload).serialize() == {
        "contentType": FILE_INFO_CARD,
        "contentUrl": "https://victor-my.sharepoint.com/rkk.csv",
        "name": "rkk.csv",
        "content": {"uniqueId": "01ABC", "fileType": "csv"},
    }
