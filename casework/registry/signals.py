"""Signals the registry sends so that other parts can react inside the same transaction."""

from django.dispatch import Signal

# Sent inside ``household_register``'s transaction with ``household`` and ``actor``, once, after
# the head and every other member registered with it are saved: a receiver that fails rolls the
# registration back, so a household never exists without its process.
household_registered = Signal()

# Sent inside ``households_register_bulk``'s transaction with ``households`` (a list) and
# ``actor``: the same promise for many households registered at once (a ledger import).
households_registered = Signal()

# Sent inside ``member_add``'s transaction with ``member`` and ``actor``: a member joined an
# existing household (born, married in, moved in) and needs assessing.
member_added = Signal()

# Sent inside ``member_leave``'s transaction with ``member`` and ``actor``: the member has left
# (moved out, married out, deceased); their open case and tasks end with them.
member_left = Signal()

# Sent inside ``member_update``'s transaction with ``member`` and ``actor`` when the member's
# labour capacity or schooling changed: their assessment may no longer hold.
member_circumstances_changed = Signal()

# Sent inside ``household_move``'s transaction with ``household`` (in its new grid),
# ``old_grid`` and ``actor``: whatever was keyed by the old grid follows it.
household_moved = Signal()

# Sent inside ``household_split``'s transaction with ``members`` (moved), ``household`` (the
# one they now belong to) and ``actor``: whatever was keyed by their old household follows them.
members_moved = Signal()
