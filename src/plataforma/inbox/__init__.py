"""The inbox as its reader sees it: listing, unread count, read state, the live stream.

Delivery lives in :mod:`plataforma.realtime.inbox` (every capability that tells someone
something delivers there); this package is the read side, above ``security``, because every
read is decided by the policy and audited.
"""
