"""Personal data (document numbers, phones) is masked unless the viewer may see it whole.

The rule has one home: ``may_unmask`` says who may see a household's personal data whole, and
``PersonalData`` shows a number as that viewer may see it. Every page, export and PDF that can
unmask asks here; the caller records the unmasked view through its own service.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from casework.registry.models import Household, Member
from casework.registry.validators import mask_document_number, mask_phone

from .grants import User
from .households import can

PERSONAL_DATA = "registry.view_personal_data"
UNMASK_REFUSED = _("Full personal data needs a user with the right to see it.")


def may_unmask(user: User | None, household: Household) -> bool:
    """May ``user`` see ``household``'s document numbers and phones whole? Nobody may without
    a user (the command line without ``--user``)."""
    return user is not None and can(user, "view_personal_data", household)


def may_unmask_exports(user: User | None) -> bool:
    """May ``user`` export many households' personal data whole (the ledgers)? The role's right;
    the export itself holds only the households the user works."""
    return user is not None and user.is_authenticated and user.has_perm(PERSONAL_DATA)


@dataclass(frozen=True)
class PersonalData:
    """Document numbers and phones as a viewer sees them: whole when ``unmasked``."""

    unmasked: bool = False

    def document(self, number: str) -> str:
        return number if self.unmasked else mask_document_number(number)

    def phone(self, number: str) -> str:
        return number if self.unmasked else mask_phone(number)

    def member(self, member: Member, today: datetime.date) -> dict[str, Any]:
        """A member as the viewer sees them on a household page or case file."""
        return {
            "member": member,
            "document": self.document(member.document_number),
            "phone": self.phone(member.phone),
            "age": member.age_on(today),
        }
