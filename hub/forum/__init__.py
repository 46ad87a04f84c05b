"""The forum of each group: threads, posts, mentions and subscriptions."""
