from .applications import (
    Application,
    ApplicationQuestion,
    ApplicationStatus,
    QuestionType,
)
from .dates import ChallengeAnnouncement, ChallengeKeyDate, KeyDateKind
from .pages import ChallengeIndexPage, ChallengePage

__all__ = [
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
