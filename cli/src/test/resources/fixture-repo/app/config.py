"""Configuration loading for the demo app."""
import json
import os


def parse_json(text):
    """Parse a JSON document, returning None on malformed input."""
    try:
        return json.loads(text)
    except ValueError:
        return None


def validate_config(data):
    """Check that a parsed config has the keys the app needs."""
    if not isinstance(data, dict):
        return False
    return "name" in data and "port" in data


def load_config(path):
    """Read, parse and validate the config file at path."""
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    with open(path, encoding="utf-8") as handle:
        data = parse_json(handle.read())
    if not validate_config(data):
        raise ValueError("invalid config: " + path)
    return data
