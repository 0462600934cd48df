"""Sources of the review bot's facts: the local git diff, a GitHub pull request, ruff."""
