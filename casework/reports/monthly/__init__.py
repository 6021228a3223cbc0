"""Month-end figures: every count as it stood at the end of a month, from dated records."""
