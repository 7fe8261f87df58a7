"""A small public site with one live page of every type, shared by the bad-input tests."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from news.models import ReleaseType
from site_core.models import OfficeDetails, SiteSettings
from tests.factories import (
    BoilerplateFactory,
    ChallengeIndexPageFactory,
    DivisionFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    MediaContactFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    TopicFactory,
    make_challenge,
)


@dataclass
class PublicSite:
    tree: object
    challenge_index: object
    challenge: object
    release: object
    partner_index: object
    city: object
    story: object
    job_index: object
    posting: object
    division: object
    topic: object


def build_public_site(tree, text: str = "Plain") -> PublicSite:
    """One live page of every public type, every editor-facing text field that the public sees
    starting with `text` (a label for fuzzing, a payload for the XSS tests)."""
    site_settings = SiteSettings.for_site(tree.site)
    site_settings.contact_email = "innovation@example.ca"
    site_settings.save()
    OfficeDetails.objects.update_or_create(
        locale=tree.english,
        defaults={
            "office_name": f"{text} office",
            "parent_organisation": f"{text} organisation",
            "street_address": f"{text} street",
            "privacy_officer_title": f"{text} privacy officer",
            "privacy_officer_address": f"{text} privacy address",
            "privacy_officer_phone": "416-392-0000",
        },
    )
    image = get_image_model().objects.create(title=f"{text} image", file=get_test_image_file())
    division = DivisionFactory(name=f"{text} division", slug="transportation", description=f"{text} does")
    topic = TopicFactory(name=f"{text} topic", slug="transit")
    challenge_index = ChallengeIndexPageFactory(parent=tree.home, intro=f"{text} challenges intro")
    challenge = make_challenge(
        challenge_index,
        title=f"{text} challenge",
        slug="safer-school-zones",
        summary=f"{text} challenge summary",
        listing_summary=f"{text} listing summary",
        award_value=f"{text} award",
        selected_teams=f"{text} team",
        division=division,
        opens=-5,
        closes=20,
        info_session=3,
        publish=False,
    )
    challenge.topics.add(topic)
    challenge.announcements.add(challenge.announcements.model(title=f"{text} announcement", body="<p>By a week.</p>"))
    challenge.faq = [("faq_item", {"question": f"{text} question", "answer": "<p>An answer.</p>"})]
    challenge.save_revision().publish()
    challenge.refresh_from_db()

    release = NewsReleasePageFactory(
        parent=tree.news_index,
        title=f"{text} release",
        slug="school-zone-pilot",
        lead=f"{text} lead",
        release_type=ReleaseType.NEWS_RELEASE,
        release_date=datetime.datetime(2017, 3, 10, 10, tzinfo=datetime.UTC),
        body=[("image", {"image": image, "alt_text": f"{text} alt text", "caption": f"{text} caption"})],
    )
    release.topics.add(topic)
    release.boilerplate_links.add(
        release.boilerplate_links.model(boilerplate=BoilerplateFactory(title=f"{text} boilerplate"))
    )
    release.media_contact_links.add(
        release.media_contact_links.model(media_contact=MediaContactFactory(office=f"{text} media office"))
    )
    release.related_challenge_links.add(release.related_challenge_links.model(challenge=challenge))
    release.save_revision().publish()

    partner_index = PartnerCityIndexPageFactory(parent=tree.home, intro=f"{text} partners intro")
    city = PartnerCityFactory(name=f"{text} city", slug="bloomington", description=f"{text} city description")
    story = PartnerStoryPageFactory(
        parent=partner_index,
        title=f"{text} story",
        slug="a-story",
        summary=f"{text} story summary",
        partner_city=city,
        image=image,
        image_alt=f"{text} story alt",
    )
    job_index = JobIndexPageFactory(parent=tree.home, intro=f"{text} jobs intro")
    posting = JobPostingPageFactory(
        parent=job_index,
        title=f"{text} posting",
        slug="project-manager",
        summary=f"{text} job summary",
        hours=f"{text} hours",
        division=division,
        apply_email="jobs@example.ca",
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    return PublicSite(
        tree=tree,
        challenge_index=challenge_index,
        challenge=challenge,
        release=release,
        partner_index=partner_index,
        city=city,
        story=story,
        job_index=job_index,
        posting=posting,
        division=division,
        topic=topic,
    )


@pytest.fixture
def public_site(site_tree) -> PublicSite:
    return build_public_site(site_tree)
