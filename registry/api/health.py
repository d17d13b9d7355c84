"""/health and /ready for load balancers and container orchestrators."""

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from registry.api.common import Blueprint
from registry.db import get_db
from registry.errors import DatabaseUnavailable

blp = Blueprint("health", __name__, description="Liveness and readiness probes.")


class StatusSchema(Schema):
    status = fields.String(metadata={"example": "ok"})


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, StatusSchema, example={"status": "ok"})
    def get(self):
        """Liveness

        Answers 200 while the process lives, without touching the database.
        """
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.response(200, StatusSchema, example={"status": "ok"})
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """Readiness

        Answers 200 only while the database answers a query, else 503.
        """
        try:
            with get_db().engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            raise DatabaseUnavailable("The database does not answer.") from error
        return {"status": "ok"}
