"""Keep secret tokens out of logs.

Paths like /r/<token>/ carry a secret; Django logs the path of every 4xx and
5xx answer ("Not Found: /r/..."). This filter masks the token in any log
record's message and arguments before a handler writes it.
"""

import logging
import re

SECRET_PATH = re.compile(r"(/(?:r|feeds|interpreters|checkin)/)[^/\s?\"']+")


def mask(text: str) -> str:
    return SECRET_PATH.sub(r"\1[secret]", text)


class MaskSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(arg) if isinstance(arg, str) else arg for arg in record.args)
        request = getattr(record, "request", None)
        if request is not None:
            record.request = None  # the request object would carry the path again
        return True
