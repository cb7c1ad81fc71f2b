"""Fictional sample data: four regions x three waves of answers, written as real survey tools export them.

`monitor-aoj voorbeelddata` and the tests use it; the product never reads it.
"""
