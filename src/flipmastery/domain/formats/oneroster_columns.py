"""The OneRoster 1.2 CSV binding's files, columns, required columns, vocabularies and references, as
the roster reader (oneroster.py) checks them."""

from __future__ import annotations

import re

MANIFEST = "manifest.csv"
MODES = ("bulk", "delta", "absent")
MAX_ROWS = 100_000  # per file: a large district's users.csv, not more
MAX_PROBLEMS = 300  # then "and N more": nobody reads a thousand lines of the same mistake
SOURCED_ID_MAX = 255
EXTENSION = "ext:"

# Every file of the binding; the first group is the roster we read, the rest may ride along unread.
ROSTER_FILES = ("orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments")
OTHER_FILES = (
    "demographics",
    "userProfiles",
    "categories",
    "lineItems",
    "results",
    "scoreScales",
    "lineItemLearningObjectiveIds",
    "lineItemScoreScales",
    "resultLearningObjectiveIds",
    "resultScoreScales",
    "resources",
    "classResources",
    "courseResources",
    "userResources",
)
KNOWN_FILES = ROSTER_FILES + OTHER_FILES

COMMON = ("sourcedId", "status", "dateLastModified")
HEADERS: dict[str, tuple[str, ...]] = {
    "academicSessions": (
        *COMMON,
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ),
    "orgs": (*COMMON, "name", "type", "identifier", "parentSourcedId"),
    "courses": (
        *COMMON,
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects",
        "subjectCodes",
    ),
    "classes": (
        *COMMON,
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ),
    "users": (
        *COMMON,
        "enabledUser",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
        "userMasterIdentifier",
        "preferredGivenName",
        "preferredMiddleName",
        "preferredFamilyName",
        "primaryOrgSourcedId",
        "pronouns",
        "role",  # OneRoster 1.1's users.csv; read only when roles.csv is absent
        "orgSourcedIds",  # 1.1 too
    ),
    "roles": (
        *COMMON,
        "userSourcedId",
        "roleType",
        "role",
        "beginDate",
        "endDate",
        "orgSourcedId",
        "userProfileSourcedId",
    ),
    "enrollments": (
        *COMMON,
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "academicSessions": ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
    "orgs": ("sourcedId", "name", "type"),
    "courses": ("sourcedId", "title", "orgSourcedId"),
    "classes": ("sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"),
    "users": ("sourcedId", "enabledUser", "givenName", "familyName"),
    "roles": ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
    "enrollments": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
}
VOCABULARY: dict[tuple[str, str], tuple[str, ...]] = {
    ("orgs", "type"): ("department", "school", "district", "local", "state", "national"),
    ("academicSessions", "type"): ("gradingPeriod", "semester", "schoolYear", "term"),
    ("classes", "classType"): ("homeroom", "scheduled"),
    ("users", "enabledUser"): ("true", "false"),
    ("roles", "roleType"): ("primary", "secondary"),
    ("roles", "role"): (
        "aide",
        "counselor",
        "districtAdministrator",
        "guardian",
        "parent",
        "principal",
        "proctor",
        "relative",
        "siteAdministrator",
        "student",
        "systemAdministrator",
        "teacher",
    ),
    ("users", "role"): (  # 1.1's words, and 1.2's
        "administrator",
        "aide",
        "guardian",
        "parent",
        "proctor",
        "relative",
        "student",
        "teacher",
        "counselor",
        "districtAdministrator",
        "principal",
        "siteAdministrator",
        "systemAdministrator",
    ),
    ("enrollments", "role"): ("administrator", "proctor", "student", "teacher", "aide", "guardian"),
    ("enrollments", "primary"): ("true", "false"),
}
# References a row makes to another file's sourcedIds: (file, column) -> the file it points into.
REFERENCES: dict[tuple[str, str], str] = {
    ("orgs", "parentSourcedId"): "orgs",
    ("academicSessions", "parentSourcedId"): "academicSessions",
    ("courses", "orgSourcedId"): "orgs",
    ("courses", "schoolYearSourcedId"): "academicSessions",
    ("classes", "courseSourcedId"): "courses",
    ("classes", "schoolSourcedId"): "orgs",
    ("classes", "termSourcedIds"): "academicSessions",
    ("roles", "userSourcedId"): "users",
    ("roles", "orgSourcedId"): "orgs",
    ("enrollments", "classSourcedId"): "classes",
    ("enrollments", "schoolSourcedId"): "orgs",
    ("enrollments", "userSourcedId"): "users",
}
LISTS = {("classes", "termSourcedIds")}
DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})$")
YEAR = re.compile(r"^\d{4}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
DATE_COLUMNS = {"startDate", "endDate", "beginDate"}
