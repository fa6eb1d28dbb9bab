"""Views of the recipients app, one module per sub-domain; each validates a form, calls one
action, redirects.

Every record is reached through `visible_to` / `get_object_for`: a specialist of another
department gets 404, a read-only role asking to change gets 403.
"""

from recipients.views.access_log import (
    access_log_all,
    recipient_access_log,
)
from recipients.views.care import (
    hospitalisation_add,
    hospitalisation_notice,
    information_answer,
    information_request_add,
    items_issue,
    visitor_add,
)
from recipients.views.consent import (
    consent_add,
    consent_pdf,
    consent_withdraw,
    extract_pdf,
)
from recipients.views.duties import (
    belonging_add,
    belonging_return,
    circumstance_change_add,
    circumstance_change_review,
    familiarisation_add,
    familiarisation_pdf,
    quality_summary_view,
    survey_add,
)
from recipients.views.people import (
    family_edit,
    recipient_archive,
    recipient_create,
    recipient_detail,
    recipient_edit,
    recipient_history,
    register_export,
    register_list,
    representative_add,
    representative_edit,
)
from recipients.views.personal_file import (
    application_add,
    application_pdf,
    contract_add,
    contract_pdf,
    document_add,
    document_archive,
    document_certify,
    document_scan,
    need_recognition_add,
)

__all__ = [
    "access_log_all",
    "application_add",
    "application_pdf",
    "belonging_add",
    "belonging_return",
    "circumstance_change_add",
    "circumstance_change_review",
    "consent_add",
    "consent_pdf",
    "consent_withdraw",
    "contract_add",
    "contract_pdf",
    "document_add",
    "document_archive",
    "document_certify",
    "document_scan",
    "extract_pdf",
    "familiarisation_add",
    "familiarisation_pdf",
    "family_edit",
    "hospitalisation_add",
    "hospitalisation_notice",
    "information_answer",
    "information_request_add",
    "items_issue",
    "need_recognition_add",
    "quality_summary_view",
    "recipient_access_log",
    "recipient_archive",
    "recipient_create",
    "recipient_detail",
    "recipient_edit",
    "recipient_history",
    "register_export",
    "register_list",
    "representative_add",
    "representative_edit",
    "survey_add",
    "visitor_add",
]
