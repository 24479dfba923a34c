"""Review and sign notes, and the supervisor's co-signature queue."""
