"""Personal details out of open text: names, places, phone numbers and e-mail addresses become placeholders.

Used by the open answers and by the validation output, so no personal detail reaches any file the run writes.
"""
