"""The chain soak (`make soak`): real servers on PostgreSQL, real tills, kill -9 at random."""
