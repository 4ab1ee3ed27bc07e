from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Bangkok Brand vendors")

    def ready(self) -> None:
        from . import badges

        badges.register()
        from core.navigation import NavItem, register
        from core.queue import register_sweeper
        from core.roles import ALL_ROLES

        from .services import vendor_import_jobs_pending

        register_sweeper("vendors.import_jobs", vendor_import_jobs_pending)

        from core.retention import SourceFiles, register_source_files

        from .models import VendorImportJob

        job = VendorImportJob.Status
        register_source_files(
            SourceFiles(
                VendorImportJob,
                running=frozenset({job.CHECKING, job.QUEUED, job.IMPORTING}),
                waiting=frozenset({job.READY}),
                failed=job.FAILED,
            )
        )

        register(
            NavItem(
                key="vendors",
                label=_("Vendors"),
                url_name="vendors:list",
                roles=ALL_ROLES,
                order=20,
                description=_("The Bangkok Brand vendor registry and its products."),
            )
        )
        register(
            NavItem(
                key="shortlists",
                label=_("Shortlists"),
                url_name="vendors:shortlists",
                roles=ALL_ROLES,
                order=22,
                description=_("The vendors presenting at each session."),
            )
        )

        # Where the audit trail links each record of this app (core.audit_log).
        from core.audit_log import page_by, register_object_page

        register_object_page("vendors.vendor", page_by("vendors:detail", "pk", "id"))
        register_object_page("vendors.product", page_by("vendors:detail", "pk", "vendor_id"))
