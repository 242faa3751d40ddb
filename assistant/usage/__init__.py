"""Learning from use, off by default: conversation logs and the 👍/👎 feedback with its gaps report."""
