"""What people looked for and did: the search log and the event log that ranking and insight read."""
