"""Project format modules (settings.FORMAT_MODULE_PATH): dates are dd/mm/yyyy in every language.

Django reads these before its own locale formats, so only the entries below are overridden;
numbers and month names stay Django's. The same date formats serve the English interface: a
date typed as 11/01/2026 means 11 January whichever language the page is shown in.
"""
