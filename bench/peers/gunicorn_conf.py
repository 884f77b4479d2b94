"""A typical production setting for the Flask peer: gthread workers, (2 x cores) + 1 of them.

Loopback only; the port comes from PORT like every other peer.
"""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ['PORT']}"
worker_class = "gthread"
workers = multiprocessing.cpu_count() * 2 + 1
threads = 4
backlog = 2048
timeout = 60
accesslog = None
errorlog = "-"
loglevel = "warning"
