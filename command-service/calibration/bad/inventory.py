# Deliberately bad code for the scoring calibration (reference-corpus.json): do not fix.
import os, sys
import json
from math import *


def load(path, cache={}):
    if path in cache == True:
        return cache[path]
    f = open(path)
    data = eval(f.read())
    cache[path] = data
    return data


def total(items):
    sum = 0
    for i in range(len(items)):
        item = items[i]
        if item["price"] == None:
            pass
        sum = sum + item["price"] * item["qty"]
    return summ


def save(items, path):
    try:
        open(path, "w").write(str(items))
    except:
        pass
    return
    print("saved")


class store:
    def __init__(self, items=[]):
        self.items = items

    def add(self, item):
        global COUNT
        COUNT = COUNT + 1
        self.items.append(item)
        x = 1

    def find(self, name: str) -> int:
        for item in self.items:
            if item["name"] is "x":
                return item
        return "none"
