"""Gunicorn settings: gunicorn -c config/gunicorn.py config.wsgi:application

The access log leaves out the client's address, and secret tokens in paths
(manage links, personal feeds, interpreter pages, check-in) are masked
before a line is written.
"""

import os

from gunicorn.glogging import Logger

from config.logging import mask

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One process per core; each serves requests on threads that wait for
# PostgreSQL and Redis in turn (bench/registrations.py measured 2 x 8 on two
# cores ahead of 4 x 4).
# The cores this process may use (a container's share, not the host's), at
# most 8: each thread keeps a PostgreSQL connection open.
workers = int(os.environ.get("WEB_WORKERS", str(min(len(os.sched_getaffinity(0)), 8))))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8"))
accesslog = "-"
# Request line, status, size and time: no %(h)s (address), no referrer, no user agent.
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'


class MaskedLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "{raw_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask(atoms[key])
        return atoms


logger_class = MaskedLogger
