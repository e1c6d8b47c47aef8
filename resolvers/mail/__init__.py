"""Email: addresses, the outbox written in a mutation's transaction, and the sender that delivers it.

- `address`: checking and normalising an address (header injection refused);
- `letter`: a message in the reader's language, as plain text and HTML;
- `outbox`: enqueueing in the current transaction, claiming due messages, recording the outcome;
- `sender`: building the MIME message and delivering claimed messages over SMTP or to a maildir.
"""
