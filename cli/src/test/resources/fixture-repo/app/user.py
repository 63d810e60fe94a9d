"""A user record with a validated email address."""


class User:
    def __init__(self, name, email=None):
        self.name = name
        self._email = None
        if email is not None:
            self.set_email(email)

    def get_email(self):
        return self._email

    def set_email(self, email):
        if not self.validate_email(email):
            raise ValueError("bad email: " + email)
        self._email = email.strip().lower()

    def validate_email(self, email):
        return "@" in email and "." in email.split("@")[-1]
