"""The floor's web half: a bare Flask route returning constant JSON, served like the registry."""

from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare() -> dict[str, str]:
    return {"status": "ok"}
