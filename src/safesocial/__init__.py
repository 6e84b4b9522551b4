"""safesocial: a policy-as-code linter for school social media accounts."""

__version__ = "0.1.0"
