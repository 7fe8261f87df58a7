from .applicant import AnnouncementMailing, ApplicantLink, ApplicationDraft, ApplicationVersion, PendingUpload
from .applications import (
    Application,
    ApplicationQuestion,
    ApplicationStatus,
    QuestionType,
)
from .challenge import ChallengePage
from .dates import ChallengeAnnouncement, ChallengeKeyDate, KeyDateKind
from .index import ChallengeIndexPage
from .results import ResultsPage
from .review import Conflict, ConflictDeclaration, DecisionRelease, PanelMember, ScoreSheet

__all__ = [
    "AnnouncementMailing",
    "ApplicantLink",
    "Application",
    "ApplicationDraft",
    "ApplicationQuestion",
    "ApplicationStatus",
    "ApplicationVersion",
    "ChallengeAnnouncement",
    "ChallengeIndexPage",
    "ChallengeKeyDate",
    "ChallengePage",
    "Conflict",
    "ConflictDeclaration",
    "DecisionRelease",
    "KeyDateKind",
    "PanelMember",
    "PendingUpload",
    "QuestionType",
    "ResultsPage",
    "ScoreSheet",
]
