"""The admin API (`/api/v1/admin/...`, a `group_admin` token): records, the directory,
the execution order and coupon packs, each route with its response model."""
