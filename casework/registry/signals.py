"""Signals the registry sends so that other parts can react inside the same transaction."""

from django.dispatch import Signal

# Sent inside ``household_register``'s transaction with ``household`` and ``actor``, once, after
# the head and every other member registered with it are saved: a receiver that fails rolls the
# registration back, so a household never exists without its process.
household_registered = Signal()

# Sent inside ``households_register_bulk``'s transaction with ``households`` (a list) and
# ``actor``: the same promise for many households registered at once (a ledger import).
households_registered = Signal()
