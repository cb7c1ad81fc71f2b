"""Open answers: anonymised, coded into sub-themes by the codebooks, reviewed by the coordinator, counted, quoted.

The review loop (an Excel sheet out and back in) lives here too.
"""
