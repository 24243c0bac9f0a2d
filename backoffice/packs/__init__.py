"""Coupon packs (COUPON-PACK-RULES.md K1-K11): configuration, distribution, sales, refunds.

``definition`` checks what an administrator submits; ``schedule`` is the time
arithmetic (cycles, validity, local dates); ``issuance`` turns a member's pack
into entitlement records through the change log; ``lifecycle``, ``gifting``,
``distribution``, ``purchase`` and ``refunds`` are the operations; ``scheduler``
runs what falls due; ``details`` and ``share_link`` are what the admin sees. Packs sold
at the tills arrive through the upload intake (:mod:`backoffice.sync.intake.pack_sales`)
and tills get their supplies from :mod:`backoffice.sync.pack_supplies`.
Nothing here builds an engine or a session at import time.
"""
