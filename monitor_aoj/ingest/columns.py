"""Canonical column names of a RawExport, shared by reading, validation and the tidy stage.

Items keep their questionnaire id as column name; background and helper columns are named here.
"""

RESPONDENT = "respondent"
SECTOR = "sector"
FUNCTIE = "functie"
FUNCTIE_OTHER = "functie_anders"
SCHOOLTYPE = "schooltype"
DATE = "_datum"  # optional export column named in regios.yaml, used for checks only
REGION = "_regio"  # optional export column named in regios.yaml, used for checks only
ROW = "_rij"  # row number as the user sees it in Excel or the survey tool
