"""Subscriptions, delayed inquiry and deconfliction: record events turned into notices.

A subscription is a standing query (a person, vehicle, firearm, record, saved search or an
area × crime type); delayed inquiry tells the agencies that asked about a key of a new hit;
deconfliction tells two agencies working the same subject about each other. All three are
durable bus consumers (``consumers.py``) delivering to the inbox, each notice judged by the
policy as a read of the recipient.
"""
