"""One writer per survey tool: a region-wave of answers exported as that tool writes it, with its koppeling.

The entry is demo.tool_exports.write_tool_export; fields.py holds what every writer shares.
"""
