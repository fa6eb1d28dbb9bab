from django.contrib.admin.apps import AdminConfig


class SrcnAdminConfig(AdminConfig):
    """The admin with the centre's site (organisation/admin_site.py)."""

    default_site = "organisation.admin_site.SrcnAdminSite"
