"""Paper entry (SPEC §7; issue 3 item 6): admins key in paper questionnaires as lines of digits.

`line` reads a typed line into answers and writes stored answers back as digits; `forms` parse
what the pages post; `save` hands a line to `validate()` and `submit()` like any other channel
(channel "manual") and edits through `skm.collection.changes`; `tables` builds what the pages
list (the answers as digits, the audit trail). The views live in skm.collection.views.entry.
"""
