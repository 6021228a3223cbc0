"""The household ledger (户籍台账): its template, reading, checking, importing and exporting."""
