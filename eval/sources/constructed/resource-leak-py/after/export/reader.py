import csv


def rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def header(path):
    f = open(path, newline="")
    first = next(csv.reader(f), None)
    if first is None:
        raise ValueError(f"{path} is empty")
    return first
