"""Pages of council participation under /beteiligung/: one function per URL, by feature.

Each view carries its permission (`permission_required` from rules.contrib.views, rules in
participation/rules.py), reads from the models' querysets, participation/results.py and
participation/discussion.py, writes through participation/services.py and answers with
core.htmx (docs/architecture.md, "One way for each thing").
"""
