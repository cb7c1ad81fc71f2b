"""The numbers: the Figures table's schema, and the stages that fill it (indicators, statistics, comparisons).

Suppression removes what a small base must not show, before any report reads the table.
"""
