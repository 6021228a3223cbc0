"""The case file (案卷): ``data`` reads a household's whole story, ``service`` records and renders
one file, ``batch`` makes many in the background, ``views`` are its pages."""
