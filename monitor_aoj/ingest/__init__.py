"""Exports in: read any survey tool's file and layout, map it onto the questionnaire, decode answers by meaning.

Then validate every row and cell, so that each physical data row is used or in quarantine with its reason.
"""
