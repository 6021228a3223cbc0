"""Declarative viewflow flows; they call casework services and never write domain tables."""
