"""Publishers: where findings go — the terminal, JSON, or GitHub. They only format and post."""
