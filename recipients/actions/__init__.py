"""Workflows of the recipients app, one module per sub-domain. Views and tasks call these;
each is keyword-only, typed, runs in one transaction and validates what it writes
(`full_clean`). Reads live in `recipients.selectors`.
"""

from recipients.actions.care import (
    answer_information_request,
    issue_items,
    record_hospitalisation,
    record_hospitalisation_notice,
    record_information_request,
    record_visitor,
)
from recipients.actions.consent import (
    DisclosureNotAllowed,
    ensure_disclosure_allowed,
    record_consent,
    withdraw_consent,
)
from recipients.actions.duties import (
    hand_over_belonging,
    record_circumstance_change,
    record_familiarisation,
    record_quality_survey,
    return_belonging,
    review_circumstance_change,
)
from recipients.actions.people import (
    RECIPIENT_FIELDS,
    DuplicateRecipient,
    FamilyFields,
    RecipientFields,
    RepresentativeFields,
    add_representative,
    archive_recipient,
    create_family,
    link_representative,
    register_recipient,
    update_family,
    update_recipient,
    update_representative,
)
from recipients.actions.personal_file import (
    add_document,
    archive_document,
    certify_document,
    conclude_contract,
    record_application,
    record_need_recognition,
)

__all__ = [
    "RECIPIENT_FIELDS",
    "DisclosureNotAllowed",
    "DuplicateRecipient",
    "FamilyFields",
    "RecipientFields",
    "RepresentativeFields",
    "add_document",
    "add_representative",
    "answer_information_request",
    "archive_document",
    "archive_recipient",
    "certify_document",
    "conclude_contract",
    "create_family",
    "ensure_disclosure_allowed",
    "hand_over_belonging",
    "issue_items",
    "link_representative",
    "record_application",
    "record_circumstance_change",
    "record_consent",
    "record_familiarisation",
    "record_hospitalisation",
    "record_hospitalisation_notice",
    "record_information_request",
    "record_need_recognition",
    "record_quality_survey",
    "record_visitor",
    "register_recipient",
    "return_belonging",
    "review_circumstance_change",
    "update_family",
    "update_recipient",
    "update_representative",
    "withdraw_consent",
]
