import json
import os


class Repository:
    def __init__(self, root):
        self.root = root
        self.cache = {}

    def save(self, order):
        path = self._path(order["id"])
        with open(path, "w") as f:
            json.dump(order, f)
        self.cache[order["id"]] = order

    def load(self, order_id):
        if order_id in self.cache:
            return self.cache[order_id]
        with open(self._path(order_id)) as f:
            return json.load(f)

    def _path(self, order_id):
        return os.path.join(self.root, str(order_id) + ".json")
