from .applications import (
    Application,
    ApplicationQuestion,
    ApplicationStatus,
    QuestionType,
)
from .applicant import AnnouncementMailing, ApplicantLink, ApplicationDraft, ApplicationVersion, PendingUpload
from .challenge import ChallengePage
from .dates import ChallengeAnnouncement, ChallengeKeyDate, KeyDateKind
from .index import ChallengeIndexPage

__all__ = [
    "AnnouncementMailing",
    "ApplicantLink",
    "ApplicationDraft",
    "ApplicationVersion",
    "PendingUpload",
    "Application",
    "ApplicationQuestion",
    "ApplicationStatus",
    "ChallengeAnnouncement",
    "ChallengeIndexPage",
    "ChallengeKeyDate",
    "ChallengePage",
    "KeyDateKind",
    "QuestionType",
]
