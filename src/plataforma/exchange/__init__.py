"""Exchanges between agencies: hit confirmation (NCIC's protocol) and agency-to-agency
messages (Nlets), with each agency's 24/7 contact point.

An application of two lower packages: ``security`` decides and audits every step, and
``realtime``'s inbox tells the other side. It lives above both because ``security`` already
depends on ``realtime`` (the platform's bus), so these services inside ``realtime`` would
close a cycle in the package graph (tests/test_package_graph.py).
"""
