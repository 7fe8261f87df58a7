"""challenges.forms.DescribedMixin: each field points screen readers at its hint and its errors, worked
out when it is rendered, so building a form never cleans it and late fields and late errors count."""

from django import forms

from challenges.forms import DescribedMixin
from challenges.review_views import DecisionForm


class NameForm(DescribedMixin, forms.Form):
    name = forms.CharField(help_text="As on your licence.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"] = forms.CharField(help_text="Where you work.")  # added after the form was built
        self.describe_fields()  # still callable, and no longer needed


def test_building_a_bound_form_never_cleans_it():
    form = NameForm({"name": ""})
    assert form._errors is None
    assert not hasattr(form, "cleaned_data")


def test_fields_added_after_the_form_was_built_are_described_with_their_errors():
    form = NameForm({"name": "", "city": "Toronto"})
    assert 'aria-describedby="id_name-hint id_name-error"' in str(form["name"])
    assert 'aria-invalid="true"' in str(form["name"])
    city = str(form["city"])
    assert 'aria-describedby="id_city-hint"' in city and "aria-invalid" not in city


def test_an_admin_form_names_its_errors_first_including_an_error_added_after_cleaning():
    form = DecisionForm({"status": "selected", "reason": ""})
    assert form.is_valid()
    assert 'aria-describedby="id_reason_helptext"' in str(form["reason"])
    form.add_error("reason", "Give the reason for this decision.")
    assert 'aria-describedby="id_reason-errors id_reason_helptext"' in str(form["reason"])
    radios = [str(radio) for radio in form["status"]]
    assert radios and not any("aria-describedby" in radio for radio in radios)
