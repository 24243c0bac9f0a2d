"""What people read of what the tills reported: sales, returns, closed days, pack sales."""
