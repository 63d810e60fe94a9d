from . import validation
from .models import User, format_name as fmt
from .storage import Repository


def validate(order):
    """Same name as validation.validate: callers must reach the one they import."""
    return order.get("total", 0) >= 0


class OrderService:
    def __init__(self, repo: Repository):
        self.repo = repo

    def place(self, user: User, order):
        if not validate(order):
            raise ValueError("invalid order")
        if not validation.validate(order):
            raise ValueError("invalid record")
        label = fmt(user.name)
        user.display()
        self.repo.save(order)
        return label

    def place_for(self, name, email, order):
        user = User(name, email)
        return self.place(user, order)
