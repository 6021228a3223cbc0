"""Code lists shared by assessment, training and placement (trades are data: the ``trade``
code list of ``policy.Code``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationClass(models.TextChoices):
    """Where the work is (national 务工地点 classes)."""

    COUNTY = "county", _("Within the county")
    PROVINCE = "province", _("Outside the county, within the province")
    OUTSIDE = "outside", _("Outside the province")


class DesiredArea(models.TextChoices):
    COUNTY = "county", _("Within the county")
    PROVINCE = "province", _("Outside the county, within the province")
    OUTSIDE = "outside", _("Outside the province")
    ANY = "any", _("Anywhere")


# The model fields that hold a code of a code list (``policy.Code``), by
# "app_label.model_name.field": their labels come from that list wherever they are shown.
CODED_FIELDS: dict[str, str] = {
    "placement.placement.channel": "channel",
    "placement.vacancy.trade": "trade",
    "training.course.trade": "trade",
    "cases.assessment.desired_trade": "trade",
    "posts.postassignment.exit_reason": "exit_reason",
    "pairing.pairing.kind": "pairing_type",
}
