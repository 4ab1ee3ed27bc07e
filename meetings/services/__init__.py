"""Every write of the meetings app. Split by sub-domain; import from the modules."""
