"""The local web app (`chat-review ui`): the second door onto the same register and pipeline.

It serves on 127.0.0.1 only, behind a one-time key, and calls exactly what the CLI calls
(`chat_review.consent` for grants, the gate and the audit log; `chat_review.pipeline` for
reading, analysing, rendering and writing). Modules: `security` (key, session, Host, CSRF,
headers), `forms` (request bodies, in memory, size-limited), `exports` (where an export's bytes
come from between requests), `casework` (the analysis run and its report files), `pages`
(templates), `routes_*` (the pages), `app` (wiring) and `server` (the socket and uvicorn).
"""
