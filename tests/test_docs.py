"""The documentation's images and its screenshot script stay in step with the guide."""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_image_the_docs_show_exists():
    for markdown in DOCS.glob("*.md"):
        for alt, target in re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", markdown.read_text()):
            assert alt.strip(), f"{markdown.name}: image {target} needs alt text"
            assert (markdown.parent / target).is_file(), f"{markdown.name}: {target} is missing"


def test_the_screenshot_script_takes_every_screenshot_the_guide_uses():
    guide = (DOCS / "editors.md").read_text()
    used = set(re.findall(r"\(screenshots/([^)]+\.png)\)", guide))
    script = (DOCS / "screenshots" / "take_screenshots.py").read_text()
    taken = set(re.findall(r'"([a-z-]+\.png)"', script))
    assert used == taken
