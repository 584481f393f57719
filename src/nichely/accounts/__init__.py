"""People: accounts, roles, profiles, follows, log-in sessions and API tokens."""
