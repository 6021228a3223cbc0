from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "casework.pairing"
    label = "pairing"
    verbose_name = _("Pairing and visits")
