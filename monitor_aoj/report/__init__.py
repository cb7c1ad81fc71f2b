"""Everything a reader gets: display tables, narrative, charts, and the HTML, workbook, Word and PDF renderers.

Renderers lay out figures computed upstream; none of them computes a number. The national overview lives here too.
"""
