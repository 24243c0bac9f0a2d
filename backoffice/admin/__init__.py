"""The administrators' side: the admin API, the admin pages, their accounts and sign-in."""
