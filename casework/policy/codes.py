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
