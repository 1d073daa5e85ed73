"""The words a page shows for field names and controlled values, as catalogue message ids.

Records and the API speak in keys and codes (``theft_status``, ``robado``, ``active``); people
read "Estatus de robo: Robado". Every table here is keyed by the enum the model defines, so a
new member is caught by ``tests/web/test_ui_catalogues.py`` until it gets a label and a
Spanish translation. Labels are marked with ``N_`` so Babel extracts them; the page translates
them at render time with the request's catalogue.
"""

from __future__ import annotations

from enum import StrEnum

from plataforma.model.envelope import Marking, RecordStatus, RestrictedFile
from plataforma.model.records import AgencyKind, AgencyLevel, DetentionType, PersonRole
from plataforma.model.records.justice import WarrantType
from plataforma.model.records.objects import FirearmStatus, VehicleStatus
from plataforma.model.records.seizure import ConveyanceKind, DrugUnit
from plataforma.model.values import DocumentKind, Sex
from plataforma.security.audit import AuditAction, Outcome
from plataforma.security.policy import Purpose
from plataforma.security.principal import Role


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


FIELD_LABELS: dict[str, str] = {
    # envelope
    "source_ref": N_("Source reference"),
    "agency": N_("Agency"),
    "marking": N_("Marking"),
    "restricted_file": N_("Restricted file"),
    "status": N_("Status"),
    "valid_until": N_("Valid until"),
    "purge_after": N_("Purge after"),
    # incident (IPH)
    "folio": N_("Folio"),
    "first_responder": N_("First responder"),
    "occurred_at": N_("Occurred at"),
    "reported_at": N_("Reported at"),
    "place": N_("Place"),
    "state": N_("State"),
    "municipality": N_("Municipality"),
    "locality": N_("Locality"),
    "street": N_("Street"),
    "postal_code": N_("Postal code"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "crime_types": N_("Crime types"),
    "narrative": N_("Narrative"),
    "persons": N_("Persons"),
    "detentions": N_("Detentions"),
    "vehicles": N_("Vehicles"),
    "weapons": N_("Weapons"),
    "objects": N_("Objects"),
    "interviews": N_("Interviews"),
    "interviewee": N_("Interviewee"),
    "summary": N_("Summary"),
    "found_with": N_("Found with"),
    "name": N_("Name"),
    "rank": N_("Rank"),
    "badge": N_("Badge"),
    "unit": N_("Unit"),
    # persons
    "person": N_("Person"),
    "person_ref": N_("Person record"),
    "role": N_("Role"),
    "given_names": N_("Given names"),
    "first_surname": N_("First surname"),
    "second_surname": N_("Second surname"),
    "aliases": N_("Aliases"),
    "sex": N_("Sex"),
    "date_of_birth": N_("Date of birth"),
    "age": N_("Age"),
    "curp": N_("CURP"),
    "birth_state": N_("Birth state"),
    "nationality": N_("Nationality"),
    "documents": N_("Documents"),
    "kind": N_("Kind"),
    "number": N_("Number"),
    "country": N_("Country"),
    "addresses": N_("Addresses"),
    "phones": N_("Phones"),
    "phone": N_("Phone"),
    "notes": N_("Notes"),
    "description": N_("Description"),
    "height_cm": N_("Height (cm)"),
    "weight_kg": N_("Weight (kg)"),
    "build": N_("Build"),
    "eye_colour": N_("Eye colour"),
    "hair": N_("Hair"),
    "marks": N_("Scars, marks and tattoos"),
    # vehicles and firearms
    "plate": N_("Plate"),
    "plate_state": N_("Plate state"),
    "vin": N_("VIN"),
    "make": N_("Make"),
    "model": N_("Model"),
    "year": N_("Year"),
    "colour": N_("Colour"),
    "vehicle_type": N_("Vehicle type"),
    "theft_status": N_("Theft status"),
    "reported_stolen_at": N_("Reported stolen at"),
    "theft_incident_folio": N_("Theft report folio"),
    "owner_name": N_("Owner name"),
    "serial": N_("Serial number"),
    "calibre": N_("Calibre"),
    "firearm_type": N_("Firearm type"),
    "firearm_status": N_("Firearm status"),
    "registered_to": N_("Registered to"),
    "registry_state": N_("Registry state"),
    "quantity": N_("Quantity"),
    "reason": N_("Reason"),
    # detentions, warrants, protection orders
    "detained_at": N_("Detained at"),
    "detention_type": N_("Detention type"),
    "reasons": N_("Reasons"),
    "arresting_officers": N_("Arresting officers"),
    "arresting_agency": N_("Arresting agency"),
    "receiving_authority": N_("Receiving authority"),
    "trusted_contact": N_("Trusted contact"),
    "relationship": N_("Relationship"),
    "incident_folio": N_("Incident folio"),
    "warrant_type": N_("Warrant type"),
    "case_number": N_("Case number"),
    "issued_by": N_("Issued by"),
    "issued_at": N_("Issued on"),
    "issuing_state": N_("Issuing state"),
    "armed_and_dangerous": N_("Armed and dangerous"),
    "caveats": N_("Caveats"),
    "expires_at": N_("Expires on"),
    "protected": N_("Protected person"),
    "order_type": N_("Order type"),
    "conditions": N_("Conditions"),
    # seizures
    "seized_at": N_("Seized at"),
    "operation": N_("Operation"),
    "drugs": N_("Drugs"),
    "substance": N_("Substance"),
    "purity_pct": N_("Purity (%)"),
    "cash": N_("Cash"),
    "currency": N_("Currency"),
    "amount": N_("Amount"),
    "conveyances": N_("Conveyances"),
    "registration": N_("Registration"),
    # agencies
    "level": N_("Level"),
    "parent": N_("Parent agency"),
    "contact_desk": N_("24/7 desk"),
    "contact_phone": N_("24/7 phone"),
    "contact_email": N_("24/7 email"),
    "contact_radio": N_("Radio channel"),
}

PURPOSE_LABELS: dict[str, str] = {
    Purpose.INVESTIGATION: N_("Investigation"),
    Purpose.PATROL: N_("Patrol"),
    Purpose.PROSECUTION: N_("Prosecution"),
    Purpose.INTELLIGENCE: N_("Intelligence"),
    Purpose.ANALYSIS: N_("Analysis"),
    Purpose.SCREENING: N_("Screening"),
    Purpose.VETTING: N_("Vetting"),
    Purpose.AUDIT: N_("Audit"),
    Purpose.ADMINISTRATION: N_("Administration"),
    Purpose.DATA_QUALITY: N_("Data quality"),
    Purpose.PUBLIC_LOOKUP: N_("Public lookup"),
}

ROLE_LABELS: dict[str, str] = {
    Role.OFFICER: N_("Officer"),
    Role.RECORDS_CLERK: N_("Records clerk"),
    Role.ANALYST: N_("Analyst"),
    Role.INTELLIGENCE_ANALYST: N_("Intelligence analyst"),
    Role.PROSECUTOR: N_("Prosecutor"),
    Role.SCREENING_OFFICER: N_("Screening officer"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.AUDITOR: N_("Auditor"),
    Role.ADMINISTRATOR: N_("Administrator"),
}

PERSON_ROLE_LABELS: dict[str, str] = {
    PersonRole.VICTIM: N_("Victim"),
    PersonRole.PROBABLE_RESPONSIBLE: N_("Probable responsible"),
    PersonRole.DETAINEE: N_("Detainee"),
    PersonRole.WITNESS: N_("Witness"),
    PersonRole.COMPLAINANT: N_("Complainant"),
    PersonRole.OTHER: N_("Other"),
}

RECORD_TYPE_LABELS: dict[str, str] = {
    "agency": N_("Agency"),
    "person": N_("Person"),
    "vehicle": N_("Vehicle"),
    "firearm": N_("Firearm"),
    "incident": N_("Incident (IPH)"),
    "detention": N_("Detention"),
    "warrant": N_("Warrant"),
    "protection_order": N_("Protection order"),
    "seizure": N_("Seizure"),
}

KIND_LABELS: dict[str, str] = {
    "curp": N_("CURP"),
    "plate": N_("Plate"),
    "vin": N_("VIN"),
    "serial": N_("Firearm serial"),
    "folio": N_("IPH folio"),
    "name": N_("Full name"),
}

MARKING_LABELS: dict[str, str] = {
    Marking.PUBLIC: N_("PUBLIC"),
    Marking.SBU: N_("SBU"),
    Marking.CONFIDENTIAL: N_("CONFIDENTIAL"),
    Marking.SECRET: N_("SECRET"),
}

RESTRICTED_FILE_LABELS: dict[str, str] = {
    RestrictedFile.GANG: N_("Gang file"),
    RestrictedFile.INFORMANT: N_("Informant file"),
    RestrictedFile.JUVENILE: N_("Juvenile file"),
    RestrictedFile.PROTECTED_WITNESS: N_("Protected witness file"),
}

STATUS_LABELS: dict[str, str] = {
    RecordStatus.ACTIVE: N_("Active"),
    RecordStatus.CLEARED: N_("Cleared"),
    RecordStatus.EXPIRED: N_("Expired"),
    RecordStatus.PURGED: N_("Purged"),
}

AUDIT_ACTION_LABELS: dict[str, str] = {
    AuditAction.LOGIN: N_("Sign-in"),
    AuditAction.LOGOUT: N_("Sign-out"),
    AuditAction.READ: N_("Read"),
    AuditAction.QUERY: N_("Query"),
    AuditAction.WRITE: N_("Write"),
    AuditAction.IMPORT: N_("Import"),
    AuditAction.EXPORT: N_("Export"),
    AuditAction.PURGE: N_("Purge"),
    AuditAction.ADMIN: N_("Administration"),
    AuditAction.AUDIT_SEARCH: N_("Audit search"),
    AuditAction.INQUIRY: N_("Inquiry"),
    AuditAction.CONFIRMATION: N_("Hit confirmation"),
    AuditAction.MESSAGE: N_("Agency message"),
    AuditAction.SUBSCRIPTION: N_("Subscription"),
    AuditAction.NOTIFICATION: N_("Notification"),
    AuditAction.JUDGEMENT: N_("Identity judgement"),
}

OUTCOME_LABELS: dict[str, str] = {
    Outcome.OK: N_("Allowed"),
    Outcome.DENIED: N_("Denied"),
    Outcome.FAILED: N_("Failed"),
    Outcome.REJECTED: N_("Rejected"),
}

VEHICLE_STATUS_LABELS: dict[str, str] = {
    VehicleStatus.NO_REPORT: N_("No theft report"),
    VehicleStatus.STOLEN: N_("Stolen"),
    VehicleStatus.RECOVERED: N_("Recovered"),
}

FIREARM_STATUS_LABELS: dict[str, str] = {
    FirearmStatus.REGISTERED: N_("Registered"),
    FirearmStatus.STOLEN: N_("Stolen"),
    FirearmStatus.LOST: N_("Lost"),
    FirearmStatus.SEIZED: N_("Seized"),
}

DETENTION_TYPE_LABELS: dict[str, str] = {
    DetentionType.WARRANT: N_("Arrest warrant"),
    DetentionType.FLAGRANCIA: N_("Caught in the act (flagrancia)"),
    DetentionType.CASO_URGENTE: N_("Urgent case"),
    DetentionType.ADMINISTRATIVE: N_("Administrative"),
}

WARRANT_TYPE_LABELS: dict[str, str] = {
    WarrantType.ARREST: N_("Arrest"),
    WarrantType.APPEARANCE: N_("Appearance"),
    WarrantType.REARREST: N_("Re-arrest"),
    WarrantType.SEARCH: N_("Search (cateo)"),
}

AGENCY_LEVEL_LABELS: dict[str, str] = {
    AgencyLevel.FEDERAL: N_("Federal"),
    AgencyLevel.STATE: N_("State level"),
    AgencyLevel.MUNICIPAL: N_("Municipal"),
}

AGENCY_KIND_LABELS: dict[str, str] = {
    AgencyKind.POLICE: N_("Police"),
    AgencyKind.PROSECUTOR: N_("Prosecutor's office"),
    AgencyKind.MIGRATION: N_("Migration"),
    AgencyKind.PRISONS: N_("Prisons"),
    AgencyKind.INTELLIGENCE: N_("Intelligence"),
    AgencyKind.CUSTOMS: N_("Customs"),
    AgencyKind.VETTING_CENTRE: N_("Vetting centre"),
    AgencyKind.COURT: N_("Court"),
    AgencyKind.ADMINISTRATION: N_("Administration"),
}

CONVEYANCE_KIND_LABELS: dict[str, str] = {
    ConveyanceKind.VEHICLE: N_("Vehicle"),
    ConveyanceKind.VESSEL: N_("Vessel"),
    ConveyanceKind.AIRCRAFT: N_("Aircraft"),
    ConveyanceKind.CONTAINER: N_("Container"),
    ConveyanceKind.OTHER: N_("Other"),
}

DOCUMENT_KIND_LABELS: dict[str, str] = {
    DocumentKind.PASSPORT: N_("Passport"),
    DocumentKind.INE: N_("Voter card (INE)"),
    DocumentKind.RFC: N_("RFC"),
    DocumentKind.NSS: N_("Social security number (NSS)"),
    DocumentKind.LICENSE: N_("Driving licence"),
    DocumentKind.CONSULAR_ID: N_("Consular ID"),
    DocumentKind.OTHER: N_("Other"),
}

DRUG_UNIT_LABELS: dict[str, str] = {
    DrugUnit.MILLIGRAM: N_("mg"),
    DrugUnit.GRAM: N_("g"),
    DrugUnit.KILOGRAM: N_("kg"),
    DrugUnit.MILLILITRE: N_("ml"),
    DrugUnit.LITRE: N_("l"),
    DrugUnit.UNITS: N_("units"),
    DrugUnit.DOSES: N_("doses"),
    DrugUnit.PLANTS: N_("plants"),
}

SEX_LABELS: dict[str, str] = {
    Sex.H: N_("Man"),
    Sex.M: N_("Woman"),
    Sex.X: N_("Non-binary"),
}

BOOLEAN_LABELS: dict[str, str] = {"True": N_("yes"), "False": N_("no")}

# Which table names the value stored under a key of a record's content. ``kind`` is shared by
# identity documents and seized conveyances, ``unit`` by drug quantities and the free-text
# units of an IPH (a police unit, "piezas"): a value no table knows is shown as written.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "role": PERSON_ROLE_LABELS,
    "sex": SEX_LABELS,
    "status": STATUS_LABELS,
    "marking": MARKING_LABELS,
    "restricted_file": RESTRICTED_FILE_LABELS,
    "theft_status": VEHICLE_STATUS_LABELS,
    "firearm_status": FIREARM_STATUS_LABELS,
    "detention_type": DETENTION_TYPE_LABELS,
    "warrant_type": WARRANT_TYPE_LABELS,
    "level": AGENCY_LEVEL_LABELS,
    "kind": {**DOCUMENT_KIND_LABELS, **AGENCY_KIND_LABELS, **CONVEYANCE_KIND_LABELS},
    "unit": DRUG_UNIT_LABELS,
    "armed_and_dangerous": BOOLEAN_LABELS,
}

# Every controlled vocabulary a page shows, with its table: the catalogue test checks both
# that each member has a label and that each label has a Spanish translation.
DISPLAYED_ENUMS: tuple[tuple[type[StrEnum], dict[str, str]], ...] = (
    (Purpose, PURPOSE_LABELS),
    (Role, ROLE_LABELS),
    (PersonRole, PERSON_ROLE_LABELS),
    (Marking, MARKING_LABELS),
    (RestrictedFile, RESTRICTED_FILE_LABELS),
    (RecordStatus, STATUS_LABELS),
    (AuditAction, AUDIT_ACTION_LABELS),
    (Outcome, OUTCOME_LABELS),
    (VehicleStatus, VEHICLE_STATUS_LABELS),
    (FirearmStatus, FIREARM_STATUS_LABELS),
    (DetentionType, DETENTION_TYPE_LABELS),
    (WarrantType, WARRANT_TYPE_LABELS),
    (AgencyLevel, AGENCY_LEVEL_LABELS),
    (AgencyKind, AGENCY_KIND_LABELS),
    (ConveyanceKind, CONVEYANCE_KIND_LABELS),
    (DocumentKind, DOCUMENT_KIND_LABELS),
    (DrugUnit, DRUG_UNIT_LABELS),
    (Sex, SEX_LABELS),
)

# Values a reader must not miss: shown highlighted wherever the record's content is shown.
ALERT_VALUES: dict[str, frozenset[str]] = {
    "theft_status": frozenset({VehicleStatus.STOLEN}),
    "firearm_status": frozenset({FirearmStatus.STOLEN, FirearmStatus.LOST}),
    "armed_and_dangerous": frozenset({"True"}),
}
