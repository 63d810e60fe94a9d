import re

EMAIL = re.compile(r"[^@]+@[^@]+")


def validate_email(email):
    if not EMAIL.match(email):
        raise ValueError("bad email: " + email)
    return normalize(email)


def normalize(value):
    return value.strip().lower()


def validate(record):
    """Validation of a generic record."""
    return bool(record)
