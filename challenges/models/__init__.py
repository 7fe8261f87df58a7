from .pages import ChallengeAnnouncement, ChallengeIndexPage, ChallengeKeyDate, ChallengePage, KeyDateKind

__all__ = ["ChallengeAnnouncement", "ChallengeIndexPage", "ChallengeKeyDate", "ChallengePage", "KeyDateKind"]
