"""The tills' side of the back office (SYNC-RULES S3-S17): upload intake, the change feed,
conflicts, redemptions, pack supplies, and the chores one server process runs."""
