"""Server-rendered pages for work: My work, the planner, the workload chart, calendar feeds.

Views are thin: parse, check access through `servanda.work.access`, call a service or
selector, render. Writes answer htmx with the re-rendered list they were made from.
"""
