"""Module docstring."""
import re


def helper(x, y=2):
    """Add two numbers.

    Longer description that is not part of the hint.
    """
    return x + y


class User(Base):
    """A user with an email address."""

    def __init__(self, email):
        self._email = email

    def get_email(self):
        return self._email

    @property
    def domain(self):
        # no docstring here
        return self._email.split("@")[1]

    def set_email(self, email: str) -> None:
        """Set the email after validation."""
        if not self.validate_email(email):
            raise ValueError(email)
        self._email = email

    class Meta:
        ordering = ["email"]

        def describe(self):
            return "meta"


async def fetch(url):
    def parse(body):
        return body.strip()

    return parse(await get(url))


@decorator(with_args=True)
def decorated():
    pass


s = "naïve 😀"


def after_unicode():
    return s
