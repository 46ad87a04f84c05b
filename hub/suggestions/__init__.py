"""Suggestions (ideas) in a group: members propose and vote, moderators decide."""
