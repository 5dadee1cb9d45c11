"""The API's introduction in the OpenAPI schema, and the interactive docs page."""

DESCRIPTION = """
Veraz publishes its fact-checks for readers, aggregators and newsroom tools.

## Reading (no account needed)

Anonymous clients see exactly what readers see on the site: published
fact-checks. Drafts, claims in review, merged duplicates and work added to a
published fact-check but not yet published never appear, whatever the
parameters. A **retracted** fact-check answers at its URL with the retraction
notice instead of its verdict. A **merged duplicate** answers `301 Moved
Permanently` with `Location` set to the claim it was merged into.

Lists are paginated: `?page=N&page_size=M`, with `count`, `next` and
`previous` links. Each list's `page_size` parameter states the default and the
maximum (this newsroom's settings, read when this page was built).

## ClaimReview

`GET /api/v1/claims/{id}/claimreview/` returns the same schema.org
ClaimReview JSON-LD the fact-check's page embeds, and
`GET /api/v1/claimreview-feed/` every published fact-check as one schema.org
`DataFeed` (also written to a file by `manage.py export_claimreview`). A
fact-check whose outcome is **Not checkable (opinion)** is not a rating, so it
has no ClaimReview: its claimreview URL answers `404` with code `not_rated` and
it is left out of the feed. A retracted fact-check's answers `410` with code
`retracted`.

## Conditional requests

Every successful response carries an `ETag`. Send it back in `If-None-Match`
to get `304 Not Modified` while nothing changed. A single object's ETag looks
like `"<id>.<version>.<digest>"`: the digest changes with anything shown, the
version with the object's own fields.

## Writing (newsroom tools)

Authenticate with a token (`Authorization: Token <key>`) or, in the browsable
API, with your admin session. Every newsroom user creates their own token in
the admin: the home page's desk, *My API token* (`/admin/account/token/`). The
key is shown once, when it is created; the page afterwards shows only when it
was created, and offers to revoke it or replace it with a new one (the old key
stops working at once). A token can do exactly what its user can do in the
admin: researchers log claims, appearances, evidence and verdicts and submit
them; editors also review, publish, retract and correct; nobody publishes a
verdict they wrote.

Writes that change a claim, its verdict, an appearance or a piece of evidence,
and every workflow step, need `If-Match` with the ETag you read: if someone
changed it since, you get `412 Precondition Failed` and nothing changes; without
`If-Match` you get `428 Precondition Required`. Each write answers with the new
representation and its new ETag.

## Errors

Every error has the same JSON shape:

```json
{"detail": "Only a claim in review can be published.", "code": "state", "errors": {}}
```

`errors` lists messages per field when the input was invalid (`400`, code
`invalid`). A workflow step the claim's state does not allow is `409`; one your
role or the two-person rule does not allow is `403` (code `permission` or
`two_person_rule`); `detail` is the workflow's own message. Anonymous clients
are throttled: `429` with `Retry-After`.
"""
