"""The activity feed: what is new in your groups and from your connections."""
