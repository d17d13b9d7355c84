"""Flask's JSON provider with orjson as the encoder.

Answers (`response()`) are the bytes the default provider gives (keys in the schema's
order, no ASCII escaping, Decimal as a string, a date as an HTTP date, dataclasses as
objects), but several times faster; `dumps()` without arguments is compact where the
standard library puts a space after `,` and `:` (error bodies), and floats under 1e-4 are
written without an exponent (the same values either way). The analysis answers hold
hundreds of priced candidates. Request bodies are still decoded by the standard library
(its errors and number handling are what the error handlers expect).
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider
from werkzeug.sansio.response import Response as BaseResponse

# orjson writes dates as ISO 8601; Flask's default provider writes them as HTTP dates
# (its `_default`): keep Flask's form, so that answers do not change with the encoder.
OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
OPTIONS |= orjson.OPT_PASSTHROUGH_DATACLASS


class OrjsonProvider(DefaultJSONProvider):
    sort_keys = False  # the schema's field order
    ensure_ascii = False  # German names readable as UTF-8

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self._encode(obj, kwargs).decode()

    def response(self, *args: Any, **kwargs: Any) -> BaseResponse:
        obj = self._prepare_response_obj(args, kwargs)
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)  # indented for people, as Flask does
        body = self._encode(obj, {"sort_keys": self.sort_keys}) + b"\n"
        answer: Any = self._app.response_class
        return answer(body, mimetype=self.mimetype)  # type: ignore[no-any-return]

    def _encode(self, obj: Any, kwargs: dict[str, Any]) -> bytes:
        if set(kwargs) - {"default", "sort_keys"}:  # indent, separators, ensure_ascii, ...
            return super().dumps(obj, **kwargs).encode()  # not what answers use
        option = OPTIONS | (orjson.OPT_SORT_KEYS if kwargs.get("sort_keys") else 0)
        return orjson.dumps(obj, default=kwargs.get("default", self.default), option=option)
