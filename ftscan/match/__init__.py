"""The match stage: evidence and rules, at an as-of date, become findings.

`engine.Matcher` applies the rules, with levels from the calendar, and joins code that
reads an environment variable to the configuration that sets it (`links`); `suppress`
then marks what inline ignores, per-path configuration and a baseline (`baseline`) set
aside, keeping it in the reports.
"""
