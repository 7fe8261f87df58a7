from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from site_core.security.roles import (
    ALL_LANGUAGES,
    ROLES,
    ROOT,
    TRANSLATE,
    TRANSLATIONS,
    WORKFLOW_APPROVERS,
    WORKFLOW_NAME,
    WORKFLOW_TASK_NAME,
)

MEDIA_APPS = {"image": "wagtailimages", "document": "wagtaildocs"}
# Created by Wagtail's own migrations, with rights (publish, delete anywhere) that no documented role
# has: removed, so that the five roles are the only way into the admin. Groups staff create for view
# restrictions ("Press", say) are left alone.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


def permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is None and dotted == TRANSLATE:
        # wagtail-localize creates this one in a data migration, on a content type of its own, so a
        # database emptied with `flush` (as tests do) lacks it; recreate it the same way.
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
        found, _ = Permission.objects.get_or_create(
            content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
        )
    if found is None:
        raise CommandError(f"Unknown permission {dotted}: run migrate first.")
    return found


def pages_for(selector: str, languages: str) -> list[Page]:
    if selector == ROOT:
        return list(Page.objects.filter(depth=1))
    app_label, model = selector.split(".")
    content_type = ContentType.objects.get_by_natural_key(app_label, model.lower())
    pages = Page.objects.filter(content_type=content_type)
    if languages == TRANSLATIONS:
        pages = pages.exclude(locale__language_code=settings.LANGUAGE_CODE)
    elif languages != ALL_LANGUAGES:
        raise CommandError(f"Unknown language scope {languages!r}")
    return list(pages)


class Command(BaseCommand):
    help = (
        "Create or update the staff groups with exactly the permissions in site_core/security/roles.py, and the "
        "'Review before publish' workflow (idempotent; run again after adding a section or a language)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for name, role in ROLES.items():
            group, created = Group.objects.get_or_create(name=name)
            group.permissions.set([permission(dotted) for dotted in role["permissions"]])

            wanted_pages = {
                (page.pk, permission(f"wagtailcore.{action}_page").pk)
                for selector, languages, actions in role["pages"]
                for page in pages_for(selector, languages)
                for action in actions
            }
            existing = {(grant.page_id, grant.permission_id): grant for grant in group.page_permissions.all()}
            for key, grant in existing.items():
                if key not in wanted_pages:
                    grant.delete()
            GroupPagePermission.objects.bulk_create(
                [
                    GroupPagePermission(group=group, page_id=page, permission_id=perm)
                    for page, perm in wanted_pages - set(existing)
                ]
            )

            root_collection = Collection.get_first_root_node()
            wanted_collections = {
                permission(f"{MEDIA_APPS[kind]}.{action}_{kind}").pk
                for kind, actions in role["collections"].items()
                for action in actions
            }
            GroupCollectionPermission.objects.filter(group=group).exclude(
                collection=root_collection, permission_id__in=wanted_collections
            ).delete()
            for perm in wanted_collections:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission_id=perm
                )
            self.stdout.write(
                f"{'Created' if created else 'Updated'} group '{name}' ({len(role['permissions'])} permissions, "
                f"{len(wanted_pages)} page grants)"
            )
        self.setup_workflow()
        self.remove_wagtail_default_groups()

    def remove_wagtail_default_groups(self):
        for name in WAGTAIL_DEFAULT_GROUPS:
            if name in ROLES:
                continue
            group = Group.objects.filter(name=name).first()
            if group is None:
                continue
            members = sorted(group.user_set.values_list("username", flat=True))
            group.delete()
            message = f"Removed Wagtail's default group '{name}': its rights are no documented role's"
            if members:
                message += f". Give its members one of the roles instead: {', '.join(members)}"
                self.stderr.write(message)
            else:
                self.stdout.write(message)

    def setup_workflow(self):
        """Every page goes through a Publisher's approval unless a Publisher publishes it."""
        task = GroupApprovalTask.objects.filter(name=WORKFLOW_TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=WORKFLOW_TASK_NAME)
        task.groups.set([Group.objects.get(name=WORKFLOW_APPROVERS)])
        workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
        if not workflow.active:
            workflow.active = True
            workflow.save()
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        for root in Page.objects.filter(depth=1):
            WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
        self.stdout.write(f"Workflow '{WORKFLOW_NAME}': approval by {WORKFLOW_APPROVERS} on every page")
