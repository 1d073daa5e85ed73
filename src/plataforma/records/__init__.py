"""The records service: validation, policy, storage and audit for every record type, together."""
