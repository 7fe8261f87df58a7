"""The rich-text features the design supports, in one place so every field agrees."""

# Paragraph text: emphasis, links and lists. Headings are their own block so the outline stays valid.
LIMITED_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
