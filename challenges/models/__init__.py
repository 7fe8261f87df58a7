from .applications import (
    Application,
    ApplicationQuestion,
    ApplicationStatus,
    QuestionType,
)
from .challenge import ChallengePage
from .dates import ChallengeAnnouncement, ChallengeKeyDate, KeyDateKind
from .index import ChallengeIndexPage

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
