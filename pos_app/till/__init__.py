"""The till's application layer: every cashier action as engine call + persisted
state in one transaction, payments, closing with its outbox event, manager actions."""
