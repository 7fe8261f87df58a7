"""The image a shared link shows (og:image): a 1200 by 630 rendition of the page's social or listing
image, or of the site's default sharing image.

Its address, size and alt text are kept in the shared cache by image id, so a page's metadata needs
no query for its image once the cache is warm (the default image is the same on most pages). Saving
or deleting an image forgets its entry in every process (the cache is shared), and entries expire
after a day in any case. Nothing is cached for an image whose file cannot be read."""

import logging

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import SourceImageIOError

from site_core.seo.metadata import SHARE_IMAGE_FILTER

logger = logging.getLogger(__name__)
CACHE_SECONDS = 60 * 60 * 24


def cache_key(image_id: int) -> str:
    return f"share-image:{SHARE_IMAGE_FILTER}:{image_id}"


def rendition_data(image) -> dict | None:
    """{"url", "width", "height", "alt"} of the sharing rendition (its URL as the storage gives it,
    often a path), or None when the image file cannot be read."""
    try:
        rendition = image.get_rendition(SHARE_IMAGE_FILTER)
    except (SourceImageIOError, InvalidFilterSpecError, OSError):
        logger.warning("No sharing rendition for image %s", image.pk, exc_info=True)
        return None
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height, "alt": image.default_alt_text}


def share_image_data(image_id: int | None) -> dict | None:
    """The sharing rendition of the image `image_id`, from the cache or made (and cached) now."""
    if not image_id:
        return None
    key = cache_key(image_id)
    data = cache.get(key)
    if data is None:
        image = get_image_model().objects.filter(pk=image_id).first()
        data = rendition_data(image) if image is not None else None
        if data is None:
            return None  # not cached: tried again next time, in case the file comes back
        cache.set(key, data, CACHE_SECONDS)
    return data


def forget_share_image(sender, instance, **kwargs):
    cache.delete(cache_key(instance.pk))


def forget_rendition(sender, instance, **kwargs):
    cache.delete(cache_key(instance.image_id))


def connect_signals():
    """Called once the apps are ready (site_core/apps.py): images and their renditions changing or
    going away (e.g. a new focal point, or renditions purged by a command) clear the cached entry."""
    image_model = get_image_model()
    post_save.connect(forget_share_image, sender=image_model, dispatch_uid="cio_share_image_saved")
    post_delete.connect(forget_share_image, sender=image_model, dispatch_uid="cio_share_image_deleted")
    rendition_model = image_model.get_rendition_model()
    post_delete.connect(forget_rendition, sender=rendition_model, dispatch_uid="cio_share_rendition_deleted")
