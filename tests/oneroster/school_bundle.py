# ruff: noqa: E501 -- the CSV lines are as wide as the standard makes them
"""A small school's OneRoster 1.2 bundle, written by hand: one school, one term, two courses (chemistry,
which we teach, and art, which we do not), three classes, two teachers, four students, an aide and a
guardian. `bundle()` gives file name → text; tests change a line to break it."""

from __future__ import annotations

import io
import zipfile

SCHOOL = "f1c1a5e0-0000-4000-8000-000000000001"
TERM = "f1c1a5e0-0000-4000-8000-000000000002"
CHEM = "f1c1a5e0-0000-4000-8000-000000000010"
ART = "f1c1a5e0-0000-4000-8000-000000000011"
CHEM_A = "f1c1a5e0-0000-4000-8000-000000000020"
CHEM_B = "f1c1a5e0-0000-4000-8000-000000000021"
ART_A = "f1c1a5e0-0000-4000-8000-000000000022"
RAO = "f1c1a5e0-0000-4000-8000-000000000030"
KHAN = "f1c1a5e0-0000-4000-8000-000000000031"
ASHA = "f1c1a5e0-0000-4000-8000-000000000040"
BEN = "f1c1a5e0-0000-4000-8000-000000000041"
CHLOE = "f1c1a5e0-0000-4000-8000-000000000042"
DEV = "f1c1a5e0-0000-4000-8000-000000000043"
AIDE = "f1c1a5e0-0000-4000-8000-000000000050"
PARENT = "f1c1a5e0-0000-4000-8000-000000000051"

MANIFEST = """propertyName,value
manifest.version,1.0
oneroster.version,1.2
file.academicSessions,bulk
file.categories,absent
file.classes,bulk
file.classResources,absent
file.courses,bulk
file.courseResources,absent
file.demographics,absent
file.enrollments,bulk
file.lineItems,absent
file.orgs,bulk
file.resources,absent
file.results,absent
file.roles,bulk
file.users,bulk
source.systemName,Lincoln SIS
source.systemCode,LSIS
"""

ORGS = f"""sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
{SCHOOL},,,Lincoln High School,school,LHS,
"""

SESSIONS = f"""sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
{TERM},,,2026-27,schoolYear,2026-08-15,2027-06-10,,2027
"""

COURSES = f"""sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes
{CHEM},,,{TERM},Chemistry 11,CHEM-11,11,{SCHOOL},chemistry,
{ART},,,{TERM},Art 11,ART-11,11,{SCHOOL},art,
"""

CLASSES = f"""sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
{CHEM_A},,,Chemistry 11-A,11,{CHEM},CH11A,scheduled,Lab 2,{SCHOOL},{TERM},,,1
{CHEM_B},,,Chemistry 11-B,11,{CHEM},CH11B,scheduled,Lab 2,{SCHOOL},{TERM},,,3
{ART_A},,,Art 11-A,11,{ART},AR11A,scheduled,Studio,{SCHOOL},{TERM},,,2
"""

USERS = f"""sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns
{RAO},,,true,ms.rao,,Meena,Rao,,T001,rao@lincoln.example,,,,,,,,,,{SCHOOL},
{KHAN},,,true,mr.khan,,Imran,Khan,,T002,khan@lincoln.example,,,,,,,,,,{SCHOOL},
{ASHA},,,true,asha.p,,Asha,Patel,,S001,,,,{PARENT},11,,,,,,{SCHOOL},
{BEN},,,true,ben.o,,Benjamin,Okafor,,S002,,,,,11,,,Ben,,,{SCHOOL},
{CHLOE},,,true,chloe.m,,Chloe,Martin,,S003,,,,,11,,,,,,{SCHOOL},
{DEV},,,true,dev.s,,Dev,Singh,,S004,,,,,11,,,,,,{SCHOOL},
{AIDE},,,true,aide.j,,June,Lee,,A001,,,,,,,,,,,{SCHOOL},
{PARENT},,,true,parent.p,,Ravi,Patel,,G001,,,,,,,,,,,{SCHOOL},
"""

ROLES = f"""sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId
r-rao,,,{RAO},primary,teacher,,,{SCHOOL},
r-khan,,,{KHAN},primary,teacher,,,{SCHOOL},
r-asha,,,{ASHA},primary,student,,,{SCHOOL},
r-ben,,,{BEN},primary,student,,,{SCHOOL},
r-chloe,,,{CHLOE},primary,student,,,{SCHOOL},
r-dev,,,{DEV},primary,student,,,{SCHOOL},
r-aide,,,{AIDE},primary,aide,,,{SCHOOL},
r-parent,,,{PARENT},primary,guardian,,,{SCHOOL},
"""

ENROLLMENTS = f"""sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
e-1,,,{CHEM_A},{SCHOOL},{RAO},teacher,true,2026-08-15,
e-2,,,{CHEM_A},{SCHOOL},{ASHA},student,false,2026-08-15,
e-3,,,{CHEM_A},{SCHOOL},{BEN},student,false,2026-08-15,
e-4,,,{CHEM_B},{SCHOOL},{KHAN},teacher,true,2026-08-15,
e-5,,,{CHEM_B},{SCHOOL},{CHLOE},student,false,2026-08-15,
e-6,,,{ART_A},{SCHOOL},{KHAN},teacher,true,2026-08-15,
e-7,,,{ART_A},{SCHOOL},{DEV},student,false,2026-08-15,
e-8,,,{CHEM_A},{SCHOOL},{AIDE},proctor,false,2026-08-15,
"""


def bundle() -> dict[str, str]:
    return {
        "manifest.csv": MANIFEST,
        "orgs.csv": ORGS,
        "academicSessions.csv": SESSIONS,
        "courses.csv": COURSES,
        "classes.csv": CLASSES,
        "users.csv": USERS,
        "roles.csv": ROLES,
        "enrollments.csv": ENROLLMENTS,
    }


def zipped(files: dict[str, str], folder: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(folder + name, text)
    return out.getvalue()


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)
