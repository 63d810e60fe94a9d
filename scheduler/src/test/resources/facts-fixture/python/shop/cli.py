import sys

import shop.storage
from shop.orders import OrderService
from shop import models as m


def main(argv):
    repo = shop.storage.Repository(argv[1])
    service = OrderService(repo)
    user = m.User("ann", "ann@example.com")
    print(m.format_name(user.name))
    service.place(user, {"id": 1, "total": 3})
    return repo.load(1)


def validate(args):
    # A third validate: nothing calls it, and no call may be linked to it by name alone.
    return len(args) > 1


if __name__ == "__main__":
    main(sys.argv)
