"""The admin form every page type builds on: its pickers of translatable snippets (topics, divisions,
partner cities, media contacts, boilerplates) offer the page's own language only, and refuse an item
of another language, in the page's fields and in its inline panels alike."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.utils import set_query_params
from wagtail.blocks.base import BlockWidget
from wagtail.models import Page, TranslatableMixin
from wagtail.snippets.widgets import AdminSnippetChooser


def is_translatable_snippet(model) -> bool:
    """Snippets one per language; pages are left alone (a link to a page of another language is
    wagtail-localize's to re-point, and the page chooser already opens on the page's language)."""
    return issubclass(model, TranslatableMixin) and not issubclass(model, Page)


class LocalisedSnippetChooser(AdminSnippetChooser):
    """The snippet chooser, its modal opening on one language (Wagtail's chooser reads `?locale=` as
    the value of its language filter)."""

    def __init__(self, model=None, locale_code: str = "", **kwargs):
        self.locale_code = locale_code
        super().__init__(model=model, **kwargs)

    def get_chooser_modal_url(self):
        url = super().get_chooser_modal_url()
        return set_query_params(url, {"locale": self.locale_code}) if self.locale_code else url


def limit_to_locale(form: forms.BaseForm, locale) -> None:
    """Narrow each choice field of `form` whose model is a translatable snippet to `locale`: the list
    shows only that language, and a posted id of another language fails the field's own validation
    ("Select a valid choice")."""
    for field in form.fields.values():
        if not isinstance(field, forms.ModelChoiceField) or not is_translatable_snippet(field.queryset.model):
            continue
        field.queryset = field.queryset.filter(locale=locale)
        if isinstance(field.widget, AdminSnippetChooser) and not isinstance(field.widget, LocalisedSnippetChooser):
            field.widget = LocalisedSnippetChooser(
                model=field.widget.model_class, locale_code=locale.language_code, attrs=field.widget.attrs
            )


class LocalisedPageForm(WagtailAdminPageForm):
    """`BasePage.base_form_class`: page forms whose snippet pickers follow the page's language (for
    a new page, its parent's). Page types with a form of their own subclass it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.incomplete = self._drop_streamfields_not_sent() if self.is_bound else []
        page, parent = self.instance, self.parent_page
        self.page_locale = page.locale if page.locale_id else getattr(parent, "locale", None)
        if self.page_locale is None:
            return
        limit_to_locale(self, self.page_locale)
        for formset in self.formsets.values():
            self._localise_formset(formset)

    def _drop_streamfields_not_sent(self) -> list[str]:
        """The StreamFields whose data the post lacks altogether (the browser builds them; a form sent
        by a script, or cut short, may not carry them): Wagtail's block would fail on the missing
        count with a server error. They are left out of the form, so the page keeps what it had, and
        the form is refused with a message (`clean`)."""
        missing = [
            name
            for name, field in self.fields.items()
            if isinstance(field.widget, BlockWidget)
            and field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
        ]
        for name in missing:
            del self.fields[name]
        return missing

    def clean(self):
        cleaned = super().clean()
        if self.incomplete:
            raise forms.ValidationError(
                _("This form arrived incomplete, so nothing was saved. Reload the page and make your changes again."),
                code="incomplete",
            )
        return cleaned

    def _localise_formset(self, formset) -> None:
        """The inline panels' forms too, including the empty form the "Add" button copies: Django
        builds every form of a formset through its `add_fields` hook, so it is wrapped here."""
        locale, add_fields = self.page_locale, formset.add_fields

        def add_localised_fields(form, index):
            add_fields(form, index)
            limit_to_locale(form, locale)

        formset.add_fields = add_localised_fields
        if "forms" in formset.__dict__:  # built already (a cached property)
            for form in formset.forms:
                limit_to_locale(form, locale)
