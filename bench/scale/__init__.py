"""The county and city tiers of ``bench/scale.py``: building them and measuring their pages.

``rows``: direct row writes (COPY on PostgreSQL, executemany on SQLite) and the audit chain;
``structure``: regions, sites, grids, the three users and their grants; ``households``: the
households through the ledger import's bulk registration, then their flows carried further
along; ``measure``: page timings and the other figures; ``worker``: one tier's process.
"""
