"""The models of the recipients app, one module per sub-domain:

- `people` — recipients, families, legal representatives (O1, O26);
- `consent` — consent to the processing of personal data (O6);
- `personal_file` — the personal file and the papers of enrolment (O10, O13, O27, O28);
- `access_log` — who opened which card, scan or printed form;
- `duties` — changes of circumstances (O8), familiarisation and belongings (O9), quality surveys
  (O5).

Everything is importable from `recipients.models`.
"""

from recipients.models.access_log import (
    AccessKind,
    AccessLog,
    AccessLogQuerySet,
)
from recipients.models.consent import (
    Consent,
    ConsentQuerySet,
    ConsentScope,
)
from recipients.models.duties import (
    CIRCUMSTANCE_REVIEW_WORKING_DAYS,
    SCORE_CRITERIA,
    Belonging,
    BelongingQuerySet,
    CircumstanceChange,
    CircumstanceChangeQuerySet,
    Familiarisation,
    FamiliarisationKind,
    FamiliarisationQuerySet,
    QualitySurvey,
    QualitySurveyQuerySet,
    Respondent,
)
from recipients.models.people import (
    MAX_AGE,
    MIN_AGE,
    OPINION_AGE,
    RELATION_INSTRUMENTAL,
    Circumstance,
    Family,
    FamilyQuerySet,
    IdentityDocumentKind,
    Recipient,
    RecipientQuerySet,
    RecipientStatus,
    Relation,
    Representation,
    RepresentationQuerySet,
    Representative,
    RepresentativeQuerySet,
    Sex,
    age_on,
    normalise_search,
)
from recipients.models.personal_file import (
    ALLOWED_SCAN_TYPES,
    CHECKLIST,
    MAX_SCAN_SIZE,
    Application,
    ApplicationQuerySet,
    Contract,
    ContractQuerySet,
    ContractTerm,
    Document,
    DocumentKind,
    DocumentQuerySet,
    NeedRecognition,
    NeedRecognitionQuerySet,
    scan_path,
)

__all__ = [
    "ALLOWED_SCAN_TYPES",
    "CHECKLIST",
    "CIRCUMSTANCE_REVIEW_WORKING_DAYS",
    "MAX_AGE",
    "MAX_SCAN_SIZE",
    "MIN_AGE",
    "OPINION_AGE",
    "RELATION_INSTRUMENTAL",
    "SCORE_CRITERIA",
    "AccessKind",
    "AccessLog",
    "AccessLogQuerySet",
    "Application",
    "ApplicationQuerySet",
    "Belonging",
    "BelongingQuerySet",
    "Circumstance",
    "CircumstanceChange",
    "CircumstanceChangeQuerySet",
    "Consent",
    "ConsentQuerySet",
    "ConsentScope",
    "Contract",
    "ContractQuerySet",
    "ContractTerm",
    "Document",
    "DocumentKind",
    "DocumentQuerySet",
    "Familiarisation",
    "FamiliarisationKind",
    "FamiliarisationQuerySet",
    "Family",
    "FamilyQuerySet",
    "IdentityDocumentKind",
    "NeedRecognition",
    "NeedRecognitionQuerySet",
    "QualitySurvey",
    "QualitySurveyQuerySet",
    "Recipient",
    "RecipientQuerySet",
    "RecipientStatus",
    "Relation",
    "Representation",
    "RepresentationQuerySet",
    "Representative",
    "RepresentativeQuerySet",
    "Respondent",
    "Sex",
    "age_on",
    "normalise_search",
    "scan_path",
]
