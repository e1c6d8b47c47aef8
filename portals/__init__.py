"""The admin portal (/admin), the member portal (/portal) and the partner dashboard (/partner).

Server-rendered pages (Jinja2, plain HTML forms) that are clients of the public GraphQL API:
every read and write is a document in `operations/`, run through the schema as the signed-in
user (`api.py`). `app.portal_routes` is what `server.create_app` mounts.
"""
