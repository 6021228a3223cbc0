"""The working-day calendar (工作日历): the statutory holidays and the make-up working days
(调休) of each year the State Council has published, as data. Weekdays are working days and
weekends are not, unless a row says otherwise; a year is usable only once it is recorded as
known (``WorkCalendarYear``), so that a deadline is never counted across a year nobody entered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkCalendarYear(models.Model):
    """A year whose holidays and make-up days are all entered."""

    class Source(models.TextChoices):
        LIBRARY = "library", _("Seeded from the chinese-calendar library")
        ADMINISTRATOR = "administrator", _("Entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=14, choices=Source.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class WorkCalendarDay(models.Model):
    """A day that is not what its weekday says: a holiday on a weekday, or a working weekend."""

    day = models.DateField(_("day"), primary_key=True)
    working = models.BooleanField(_("working day"))
    name = models.CharField(_("holiday"), max_length=40, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"
