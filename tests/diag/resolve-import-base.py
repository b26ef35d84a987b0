# A class based on a name whose import failed: one error, at the import.
from threading import Timer


class Repeater(Timer):
    def run(self):
        pass
