"""Reason codes for quarantined records and failed files.

One vocabulary shared by the reader (which assigns them), the sample generator (which injects the faults and
writes them to truth.jsonl) and the `quarantine` / `runs` tables (which store them).
"""

# A record (one line of a weekly zip) that cannot become an office_actions row.
INVALID_UTF8 = "invalid_utf8"
INVALID_JSON = "invalid_json"
NOT_OBJECT = "not_object"
MISSING_DOCUMENT_ID = "missing_document_id"
MISSING_APPLICATION_NUMBER = "missing_application_number"
BAD_APPLICATION_NUMBER = "bad_application_number"
BAD_DATE = "bad_date"
BAD_BODY = "bad_body"
BAD_FIELD = "bad_field"

RECORD_REASONS = frozenset(
    {
        INVALID_UTF8,
        INVALID_JSON,
        NOT_OBJECT,
        MISSING_DOCUMENT_ID,
        MISSING_APPLICATION_NUMBER,
        BAD_APPLICATION_NUMBER,
        BAD_DATE,
        BAD_BODY,
        BAD_FIELD,
    }
)

# A whole weekly file that cannot be read: its week fails alone.
ZIP_CORRUPT = "zip_corrupt"
ZIP_TRUNCATED = "zip_truncated"
ZIP_EMPTY = "zip_empty"
ZIP_MULTI_MEMBER = "zip_multi_member"
ZIP_BOMB = "zip_bomb"

FILE_REASONS = frozenset({ZIP_CORRUPT, ZIP_TRUNCATED, ZIP_EMPTY, ZIP_MULTI_MEMBER, ZIP_BOMB})
