"""The baseline a user would otherwise run: a Flask backend shaped like the seed's.

GET / sleeps PROCESSING_DELAY_MS (3 s), then writes one log file named after the current
timestamp (microseconds, so collisions are rare but possible, as in the seed) with plain
open/write, and answers JSON. GET /healthz is the cheap route wrk measures.

Run as the seed does:  PORT=... LOG_DIR=... python3 flask_app.py   (Werkzeug dev server, threaded)
Or under gunicorn:     gunicorn -c gunicorn_conf.py flask_app:app
"""

import os
import random
import time
from datetime import datetime, timezone

from flask import Flask, jsonify

LOG_DIR = os.environ.get("LOG_DIR", "/tmp/flask-peer-logs")
DELAY_SECONDS = int(os.environ.get("PROCESSING_DELAY_MS", "3000")) / 1000
MESSAGES = [("INFO", "Success"), ("INFO", "Created"), ("ERROR", "Failed")]

os.makedirs(LOG_DIR, exist_ok=True)
app = Flask(__name__)


@app.get("/")
def index():
    time.sleep(DELAY_SECONDS)
    level, message = random.choice(MESSAGES)
    now = datetime.now(timezone.utc)
    name = now.strftime("log_%Y%m%d_%H%M%S_%f.log")
    with open(os.path.join(LOG_DIR, name), "w") as handle:
        handle.write(f"{now.isoformat()} {level} {message}\n")
    return jsonify(message=message, level=level, file=name, timestamp=now.isoformat())


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True)
