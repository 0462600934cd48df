"""Sources: the only code that does I/O. Each turns git or GitHub into plain records."""
