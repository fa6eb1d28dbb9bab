"""The recipients' records are not in the admin (issue 11).

Case content is read only through the app's views, which open every record through
organisation/access.py and write the access log; an admin page would be a way around it, even
for a superuser made on the command line.
"""
