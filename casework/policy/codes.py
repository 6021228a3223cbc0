"""Code lists shared by assessment, training and placement."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trade(models.TextChoices):
    COOKING = "cooking", _("Cooking")
    NOODLES = "noodles", _("Hand-pulled noodles")
    CONSTRUCTION = "construction", _("Construction")
    FARMING = "farming", _("Crop and livestock farming")
    HOUSEKEEPING = "housekeeping", _("Housekeeping")
    ELECTRICIAN = "electrician", _("Electrician")
    OTHER = "other", _("Other")


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
