from .applications import (
    Application,
    ApplicationQuestion,
    ApplicationStatus,
    OutgoingEmail,
    QuestionType,
)
from .pages import ChallengeAnnouncement, ChallengeIndexPage, ChallengeKeyDate, ChallengePage, KeyDateKind

__all__ = [
    "Application",
    "ApplicationQuestion",
    "ApplicationStatus",
    "ChallengeAnnouncement",
    "ChallengeIndexPage",
    "ChallengeKeyDate",
    "ChallengePage",
    "KeyDateKind",
    "OutgoingEmail",
    "QuestionType",
]
