"""Orders are not in the admin: case content is read only through the app's views, which write
the access log (issue 11; see recipients/admin.py)."""
