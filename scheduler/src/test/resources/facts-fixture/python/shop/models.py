"""Domain objects of the shop."""
from .validation import validate_email


class User:
    def __init__(self, name, email):
        self.name = name
        self.set_email(email)

    def set_email(self, email):
        validate_email(email)
        self.email = email

    def display(self):
        return format_name(self.name)


def format_name(name):
    return name.strip().title()
