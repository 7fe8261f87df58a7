"""The shared body blocks validate what editors enter and render accessible markup."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from site_core.blocks import BodyBlock, CallToActionBlock, ImageBlock

pytestmark = pytest.mark.django_db


def render_body(stream_data) -> str:
    block = BodyBlock()
    return block.render(block.to_python(stream_data))


def test_call_to_action_needs_a_page_or_a_web_address():
    block = CallToActionBlock()
    value = block.to_python({"heading": "Apply", "text": "", "page": None, "url": "", "button_label": "Apply now"})
    with pytest.raises(ValidationError):
        block.clean(value)


def test_call_to_action_refuses_both_a_page_and_a_web_address(site_tree):
    block = CallToActionBlock()
    value = block.to_python(
        {"heading": "Apply", "page": site_tree.news_index.pk, "url": "https://example.ca", "button_label": "Apply now"}
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_image_block_requires_alternative_text(root_collection):
    image = get_image_model().objects.create(title="Pilot", file=get_test_image_file())
    block = ImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))


def test_image_renders_a_rendition_with_its_dimensions_and_alt_text(root_collection):
    image = get_image_model().objects.create(title="Pilot", file=get_test_image_file())
    html = render_body(
        [
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt_text": "Residents testing an app",
                    "caption": "Testing day",
                    "credit": "",
                },
            }
        ]
    )
    assert 'alt="Residents testing an app"' in html
    assert 'width="640" height="480"' in html
    assert "<figcaption>Testing day" in html


def test_quote_names_who_said_it():
    html = render_body(
        [{"type": "quote", "value": {"text": "Innovation matters.", "attribution": "John Tory", "role": "Mayor"}}]
    )
    assert "<blockquote><p>Innovation matters.</p></blockquote>" in html
    assert "John Tory" in html


def test_faq_item_is_a_native_disclosure_widget():
    html = render_body([{"type": "faq_item", "value": {"question": "Who can apply?", "answer": "<p>Anyone.</p>"}}])
    assert '<details class="faq">' in html
    assert "<summary>Who can apply?</summary>" in html


def test_heading_uses_the_chosen_level():
    html = render_body([{"type": "heading", "value": {"text": "Eligibility", "level": "h3"}}])
    assert '<h3 class="prose__heading">Eligibility</h3>' in html


def test_table_has_a_caption_and_column_headers():
    table = {
        "caption": "Key figures",
        "table": {
            "columns": [{"type": "text", "heading": "Metric"}, {"type": "number", "heading": "Value"}],
            "rows": [{"values": ["Applications", "42"]}],
        },
    }
    html = render_body([{"type": "table", "value": table}])
    assert "<caption>Key figures</caption>" in html
    assert '<th scope="col">Metric</th>' in html
    assert "Applications" in html
