"""The errors technews raises on purpose."""


class TechnewsError(Exception):
    """Base class: anything technews refuses, with a message for the user."""


class InvalidInputError(TechnewsError, ValueError):
    """The input is no text, or text with nothing in it."""


class ModelNotFoundError(TechnewsError, OSError):
    """The pipeline folder does not exist or is not a spaCy pipeline."""


class KnowledgeBaseError(TechnewsError, OSError):
    """A knowledge-base path that holds no knowledge base."""


class LexiconError(TechnewsError, OSError):
    """A lexicon path that holds no lexicon."""


class NotInitializedError(TechnewsError, RuntimeError):
    """A rule component used before ``nlp.initialize()`` or loading a saved pipeline."""
