"""The audit log: what moderators and site admins did, written with what they did."""
