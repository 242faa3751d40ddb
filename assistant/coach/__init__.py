"""From a question to an Answer: input checks, scoring, the learned models, composing the offline answer, follow-ups in a conversation, the prep sheet."""
