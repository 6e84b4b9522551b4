"""The typed model of one school: what it declares, what its accounts really do, its records.

Every record keeps `node`, the mapping it was read from, so that a check can point at
the exact line of any field (``record.node.loc("approved_by")``) without the model
copying locations around. Records are built only from documents that pass their
schema once whatever failed it was taken out (prune.py), so the builders trust the
shapes they are given.

The package is split by part of the school folder (base: what they share; school:
school.yaml; accounts; records; policy; folder: the whole school); every name is
imported from here, as `from safesocial.model import Account`.
"""

from __future__ import annotations

from safesocial.model.accounts import (
    PAGE_ROLE_ACCESS,
    Account,
    Admin,
    Approval,
    Connection,
    DmThread,
    Post,
    account_target,
    same_account,
)
from safesocial.model.base import (
    PUPIL_CATEGORIES,
    SENIOR_ROLES,
    Pruned,
    empty_map,
    get_path,
)
from safesocial.model.fields import as_date
from safesocial.model.folder import (
    Loaded,
    School,
)
from safesocial.model.policy import (
    Policy,
    RegisteredAccount,
    merge,
)
from safesocial.model.records import (
    ConsentRecord,
    Pupil,
    StaffAccount,
    StaffConnection,
    WaiverRecord,
)
from safesocial.model.school import (
    Document,
    SchoolInfo,
    Staff,
)

__all__ = [
    "PAGE_ROLE_ACCESS",
    "PUPIL_CATEGORIES",
    "SENIOR_ROLES",
    "Account",
    "Admin",
    "Approval",
    "Connection",
    "ConsentRecord",
    "DmThread",
    "Document",
    "Loaded",
    "Policy",
    "Post",
    "Pruned",
    "Pupil",
    "RegisteredAccount",
    "School",
    "SchoolInfo",
    "Staff",
    "StaffAccount",
    "StaffConnection",
    "WaiverRecord",
    "account_target",
    "as_date",
    "empty_map",
    "get_path",
    "merge",
    "same_account",
]
