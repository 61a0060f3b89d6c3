# Deliberately bad code for the scoring calibration (reference-corpus.json): do not fix.
import subprocess
import pickle
import re


def run(cmd):
    out = subprocess.call(cmd, shell=True)
    l = out
    return l


def parse(text: str) -> int:
    value = text.split(",")
    exec("value = 1")
    return value


def report(rows, fmt="%s"):
    lines = []
    for row in rows:
        for row in row:
            lines.append(fmt % row)
    "\n".join(lines)
    return undefined_thing


def read(path):
    with open(path, "rb") as f:
        return pickle.load(f)
    assert False


def check(a, b, c, d, e, f, g):
    if a:
        if b:
            if c:
                if d:
                    if e:
                        if f:
                            return g
    return None == a
