"""Reports: people flag what they may read; moderators and site admins resolve them."""
