"""gunicorn's settings for the product (`gunicorn -c deploy/gunicorn.conf.py`), read from the
environment like Django's: see the README's deployment section."""

import os

wsgi_app = "casework.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Processes: about two per core; each holds one request at a time (case-file PDFs take ~0.5 s).
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Start a fresh process now and then, so that memory a large page took is given back.
max_requests = 1000
max_requests_jitter = 100
# No control socket (~/.gunicorn/gunicorn.ctl): it is shared by every gunicorn of the user on the
# machine, and the product needs none (systemd or Ctrl-C stop it).
control_socket_disable = True

# The access log names the path only (%(U)s), never the query string or the referring page: a
# GET search with an ID number or phone in its URL must not reach the log.
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = os.environ.get("ERROR_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
