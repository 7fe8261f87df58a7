"""Media on object storage (django-storages, S3 API) for several app servers: public images and
their renditions in the media bucket with plain URLs, applicants' files in a second, private bucket
with no URL at all. S3 is outside this machine, so moto stands in for it (an in-process S3 that
speaks the same API to boto3)."""

import io

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from moto import mock_aws
from PIL import Image as PILImage
from wagtail.images.models import Image

from site_core.settings.base import object_storages
from tests.site_core.test_settings import PRODUCTION_ENV, run_manage

MEDIA, PRIVATE = "cio-media", "cio-private-media"


@pytest.fixture
def s3(monkeypatch, settings):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ca-central-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="ca-central-1")
        for bucket in (MEDIA, PRIVATE):
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
        environ = {"MEDIA_BUCKET": MEDIA, "PRIVATE_MEDIA_BUCKET": PRIVATE, "S3_REGION": "ca-central-1"}
        settings.STORAGES = {**settings.STORAGES, **object_storages(environ)}  # as the settings build them
        yield client


def keys(client, bucket: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def png(width: int = 320, height: int = 200) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "#0b3d6e").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_image_and_its_rendition_live_in_the_media_bucket_with_plain_urls(s3, root_collection):
    image = Image.objects.create(title="Harbour", file=ImageFile(io.BytesIO(png()), name="harbour.png"))
    rendition = image.get_rendition("width-100")
    stored = keys(s3, MEDIA)
    assert image.file.name in stored and rendition.file.name in stored
    assert (rendition.width, rendition.height) == (100, 62)
    assert rendition.url.startswith(f"https://{MEDIA}.s3.")
    assert "Signature" not in rendition.url and "?" not in rendition.url  # public: cacheable, never expiring
    assert keys(s3, PRIVATE) == []


def test_an_upload_never_replaces_a_file_of_the_same_name(s3):
    storage = storages["default"]
    first = storage.save("documents/plan.pdf", ContentFile(b"%PDF-1.4 first"))
    second = storage.save("documents/plan.pdf", ContentFile(b"%PDF-1.4 second"))
    assert first != second
    assert storage.open(first).read() == b"%PDF-1.4 first"


def test_applicants_files_go_to_the_private_bucket_unreadable_by_url(s3):
    storage = storages["private"]
    name = storage.save("applications/2026/proposal.pdf", ContentFile(b"%PDF-1.4 proposal"))
    assert keys(s3, PRIVATE) == [name] and keys(s3, MEDIA) == []
    with storage.open(name) as stored:  # how the reviewers' download view reads it
        assert stored.read() == b"%PDF-1.4 proposal"
    with pytest.raises(ValueError, match="permission-checked view"):
        storage.url(name)
    grants = s3.get_object_acl(Bucket=PRIVATE, Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only: no public read
    storage.delete(name)  # as purge_applications does
    assert keys(s3, PRIVATE) == []


BUCKETS_SHOWN = (
    "from django.core.files.storage import storages; "
    "print(type(storages['default']).__name__, storages['default'].bucket_name, "
    "type(storages['private']).__name__, storages['private'].bucket_name)"
)


def test_production_settings_switch_to_the_two_buckets():
    env = {**PRODUCTION_ENV, "MEDIA_BUCKET": MEDIA, "PRIVATE_MEDIA_BUCKET": PRIVATE}
    result = run_manage("shell", "-c", BUCKETS_SHOWN, env=env)
    assert result.stdout.strip().splitlines()[-1] == f"S3Storage {MEDIA} PrivateS3Storage {PRIVATE}", result.stderr


def test_without_buckets_files_stay_in_local_folders():
    assert object_storages({}) == {}
    assert object_storages({"S3_REGION": "ca-central-1"}) == {}


@pytest.mark.parametrize(
    "buckets",
    [
        {"MEDIA_BUCKET": MEDIA},
        {"PRIVATE_MEDIA_BUCKET": PRIVATE},
        {"MEDIA_BUCKET": MEDIA, "PRIVATE_MEDIA_BUCKET": MEDIA},
        {"MEDIA_BUCKET": MEDIA, "PRIVATE_MEDIA_BUCKET": f" {MEDIA} "},
    ],
    ids=["no private bucket", "no media bucket", "one bucket for both", "one bucket, spaced"],
)
def test_applicants_files_never_share_the_public_bucket(buckets):
    with pytest.raises(ImproperlyConfigured, match="must differ"):
        object_storages(buckets)
