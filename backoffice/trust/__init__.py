"""Who a bearer token speaks for (S12, S17): enrollment codes, device tokens, admin tokens."""
