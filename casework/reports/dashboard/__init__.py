"""The manager's dashboard (统计看板): ``figures`` counts, ``charts`` draws, ``exports`` is the
service that records and makes its PDF and Excel, ``views`` are its pages."""
