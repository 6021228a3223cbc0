"""Staff changes: a departing user's open work handed on before the account is deactivated,
and substitutes covering an absent caseworker. Above the workflows (it moves tasks)."""
